-- Per-organization SAML single sign-on: settings, pending SP-initiated requests, the assertion replay cache,
-- test results and the SSO audit trail. Portable SQL for H2 2.x and PostgreSQL.

ALTER TABLE org_sso_settings ADD COLUMN protocol VARCHAR(8);
ALTER TABLE org_sso_settings ADD COLUMN saml_sign_on_url VARCHAR(2000);
ALTER TABLE org_sso_settings ADD COLUMN saml_idp_issuer VARCHAR(1000);
ALTER TABLE org_sso_settings ADD COLUMN saml_idp_certificate VARCHAR(16384);
ALTER TABLE org_sso_settings ADD COLUMN saml_email_attribute VARCHAR(200) DEFAULT 'email' NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN saml_allow_sha1 BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN clock_skew_seconds INTEGER DEFAULT 120 NOT NULL;
-- Bumped by every configuration change: caches compare it, and a test only counts for the version it tested.
ALTER TABLE org_sso_settings ADD COLUMN config_version BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN tested_version BIGINT;
ALTER TABLE org_sso_settings ADD COLUMN tested_by BIGINT;
ALTER TABLE org_sso_settings ADD COLUMN tested_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE org_sso_settings ADD CONSTRAINT ck_sso_protocol CHECK (protocol IS NULL OR protocol IN ('SAML', 'OIDC'));

ALTER TABLE org_sso_session ADD COLUMN idp_issuer VARCHAR(1000);
ALTER TABLE org_sso_session ADD COLUMN subject VARCHAR(1000);
ALTER TABLE org_sso_session ADD COLUMN attributes_json VARCHAR(16000);

-- An SP-initiated login in flight: created at /organizations/{org}/sso, consumed once by the IdP's answer.
CREATE TABLE sso_pending_request (
    request_id      VARCHAR(64)   NOT NULL PRIMARY KEY,
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    session_binding VARCHAR(64)   NOT NULL,
    protocol        VARCHAR(8)    NOT NULL,
    config_version  BIGINT        NOT NULL,
    test_mode       BOOLEAN       NOT NULL,
    return_to       VARCHAR(1000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_at     TIMESTAMP WITH TIME ZONE,
    outcome         VARCHAR(40),
    identity_json   VARCHAR(16000),
    completed_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_sso_pending_expiry ON sso_pending_request (expires_at);

-- Assertion ids already accepted, per organization, kept until the assertion could no longer be valid.
CREATE TABLE sso_replay (
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    assertion_id    VARCHAR(256)  NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_sso_replay PRIMARY KEY (org_id, assertion_id)
);
CREATE INDEX ix_sso_replay_expiry ON sso_replay (expires_at);

-- The last "Update and Test" result of each admin, shown on the result page.
CREATE TABLE sso_test_result (
    id              BIGINT        NOT NULL PRIMARY KEY,
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    config_version  BIGINT        NOT NULL,
    passed          BOOLEAN       NOT NULL,
    reason          VARCHAR(60),
    message         VARCHAR(2000),
    subject         VARCHAR(1000),
    attributes_json VARCHAR(16000),
    skew_millis     BIGINT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_sso_test_result ON sso_test_result (org_id, account_id, created_at);

-- What happened, for admins: logins (with the reason of a failure), joins, settings changes, enable/disable.
CREATE TABLE sso_audit (
    id              BIGINT        NOT NULL PRIMARY KEY,
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id        BIGINT,
    event           VARCHAR(40)   NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    reason          VARCHAR(60),
    detail          VARCHAR(8000)
);
CREATE INDEX ix_sso_audit_org ON sso_audit (org_id, created_at);
