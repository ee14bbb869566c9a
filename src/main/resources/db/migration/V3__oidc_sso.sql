-- Per-organization OpenID Connect single sign-on. The client secret is stored sealed (AES-GCM with the hub's
-- secret key); the discovery document is the one fetched and checked when the admin saved the settings.
ALTER TABLE org_sso_settings ADD COLUMN oidc_issuer VARCHAR(1000);
ALTER TABLE org_sso_settings ADD COLUMN oidc_client_id VARCHAR(500);
ALTER TABLE org_sso_settings ADD COLUMN oidc_client_secret VARCHAR(2000);
ALTER TABLE org_sso_settings ADD COLUMN oidc_scopes VARCHAR(500) DEFAULT 'openid email profile' NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN oidc_email_claim VARCHAR(200) DEFAULT 'email' NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN oidc_require_email_verified BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN oidc_metadata VARCHAR(32000);
