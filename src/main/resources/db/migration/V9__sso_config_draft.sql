-- "Update and Test" on an organization that enforces SSO tries a draft: the live configuration, which members sign
-- in with, changes only when a test of that very draft passed and an admin applies it. Drafts and live
-- configurations share one numbering (last_version), so a test result names exactly what it tested.
ALTER TABLE org_sso_settings ADD COLUMN last_version BIGINT DEFAULT 0 NOT NULL;
UPDATE org_sso_settings SET last_version = config_version;

CREATE TABLE sso_config_draft (
    org_id                      BIGINT        NOT NULL PRIMARY KEY REFERENCES org_sso_settings (org_id) ON DELETE CASCADE,
    config_version              BIGINT        NOT NULL,
    protocol                    VARCHAR(8)    NOT NULL,
    clock_skew_seconds          INTEGER       NOT NULL,
    saml_sign_on_url            VARCHAR(2000),
    saml_idp_issuer             VARCHAR(1000),
    saml_idp_certificate        VARCHAR(16384),
    saml_email_attribute        VARCHAR(200)  DEFAULT 'email' NOT NULL,
    saml_allow_sha1             BOOLEAN       DEFAULT FALSE NOT NULL,
    oidc_issuer                 VARCHAR(1000),
    oidc_client_id              VARCHAR(500),
    oidc_client_secret          VARCHAR(2000),
    oidc_scopes                 VARCHAR(500)  DEFAULT 'openid email profile' NOT NULL,
    oidc_email_claim            VARCHAR(200)  DEFAULT 'email' NOT NULL,
    oidc_require_email_verified BOOLEAN       DEFAULT TRUE NOT NULL,
    oidc_metadata               VARCHAR(32000),
    saved_by                    BIGINT        REFERENCES account (id) ON DELETE SET NULL,
    saved_at                    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ck_sso_draft_protocol CHECK (protocol IN ('SAML', 'OIDC'))
);

-- Enabling or applying needs the admin's own passing test of that configuration, signed in at the IdP as one of the
-- admin's verified emails (else the admin would be locked out): the test result keeps the email the IdP vouched for.
-- Which tests count is read from the results; the settings' own "tested by" columns go.
ALTER TABLE sso_test_result ADD COLUMN idp_email VARCHAR(254);
CREATE INDEX ix_sso_test_result_version ON sso_test_result (org_id, account_id, config_version, created_at);
ALTER TABLE org_sso_settings DROP COLUMN tested_version;
ALTER TABLE org_sso_settings DROP COLUMN tested_by;
ALTER TABLE org_sso_settings DROP COLUMN tested_at;
