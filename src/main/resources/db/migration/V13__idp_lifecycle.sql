-- No organization locked out by its own IdP.

-- A SAML configuration trusts one or more signing certificates (PEM blocks, one after the other), and may name the
-- IdP's metadata URL, from which certificates and the Sign-On URL are refreshed.
ALTER TABLE org_sso_settings ALTER COLUMN saml_idp_certificate SET DATA TYPE VARCHAR(32768);
ALTER TABLE sso_config_draft ALTER COLUMN saml_idp_certificate SET DATA TYPE VARCHAR(32768);
ALTER TABLE org_sso_settings ADD COLUMN saml_metadata_url VARCHAR(2000);
ALTER TABLE sso_config_draft ADD COLUMN saml_metadata_url VARCHAR(2000);

-- When an IdP key (a SAML certificate by its SHA-256 fingerprint, an OIDC key by its kid) last verified an answer.
CREATE TABLE sso_key_use (
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    key_id          VARCHAR(200)  NOT NULL,
    last_used_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, key_id)
);

-- The refresh of an organization's IdP metadata: when it is due, which node holds it (claimed_until: one node of a
-- cluster at a time), and how the last attempt went (a failed refresh keeps the last good configuration).
CREATE TABLE saml_metadata_state (
    org_id          BIGINT        NOT NULL PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
    next_refresh_at TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until   TIMESTAMP WITH TIME ZONE,
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    last_success_at TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(1000)
);

-- Signing certificates the IdP's metadata listed, and when it last did: one gone from the metadata stays trusted for
-- a grace period after it was last seen.
CREATE TABLE saml_metadata_cert (
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    sha256          VARCHAR(100)  NOT NULL,
    first_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

-- Expiry warnings given: once per certificate and threshold (90, 30, 7 days before, 0 = expired), on one node.
CREATE TABLE sso_cert_warning (
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    sha256          VARCHAR(100)  NOT NULL,
    threshold_days  INTEGER       NOT NULL,
    warned_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (org_id, sha256, threshold_days)
);

-- Break-glass recovery codes of an organization: only the SHA-256 of each code is stored; a code is used once.
CREATE TABLE sso_recovery_code (
    id              BIGINT        NOT NULL PRIMARY KEY,
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    code_hash       VARCHAR(64)   NOT NULL,
    created_by      BIGINT        REFERENCES account (id) ON DELETE SET NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_by         BIGINT        REFERENCES account (id) ON DELETE SET NULL,
    used_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_sso_recovery_code UNIQUE (org_id, code_hash)
);

-- What a recovery code gives: an admin's short session that reaches the organization's settings only, bound to the
-- hub sign-in in which the code was entered.
CREATE TABLE sso_recovery_session (
    id              BIGINT        NOT NULL PRIMARY KEY,
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    sign_in_id      VARCHAR(64)   NOT NULL REFERENCES hub_sign_in (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_sso_recovery_session ON sso_recovery_session (sign_in_id, org_id);

-- The operator's override: SSO enforcement of the organization suspended by a site admin, with a written reason.
ALTER TABLE org_sso_settings ADD COLUMN suspended_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE org_sso_settings ADD COLUMN suspended_by BIGINT REFERENCES account (id) ON DELETE SET NULL;
ALTER TABLE org_sso_settings ADD COLUMN suspended_reason VARCHAR(1000);
