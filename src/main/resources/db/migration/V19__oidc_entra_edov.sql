-- Whether Entra ID's xms_edov ("email domain owner verified") counts as email verification when email_verified is
-- absent: only ever from an Entra ID v2.0 issuer; on unless the organization turns it off.
ALTER TABLE org_sso_settings ADD COLUMN oidc_entra_edov BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE sso_config_draft ADD COLUMN oidc_entra_edov BOOLEAN DEFAULT TRUE NOT NULL;
