-- An email address belongs to the account that verified it. An unverified address is a claim that blocks nobody:
-- several accounts may claim one address, at most one may have verified it (verified_key is the address key of a
-- verified address, NULL otherwise; a unique column allows many NULLs on H2 and PostgreSQL alike), and an account
-- claims an address once. Existing rows keep their state: a verified address stays its owner's.
ALTER TABLE account_email DROP CONSTRAINT uq_account_email_address;
ALTER TABLE account_email ADD COLUMN verified_key VARCHAR(254);
UPDATE account_email SET verified_key = address_key WHERE verified = TRUE;
ALTER TABLE account_email ADD CONSTRAINT uq_account_email_verified UNIQUE (verified_key);
ALTER TABLE account_email ADD CONSTRAINT uq_account_email_claim UNIQUE (account_id, address_key);
CREATE INDEX ix_account_email_key ON account_email (address_key);

-- Single-use links sent by mail: email verification (24 hours) and password reset (1 hour). Only the SHA-256 of the
-- random token is stored; a link is used once.
CREATE TABLE email_token (
    token_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    purpose         VARCHAR(16)   NOT NULL,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    email_id        BIGINT        REFERENCES account_email (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ck_email_token_purpose CHECK (purpose IN ('VERIFY', 'RESET'))
);
CREATE INDEX ix_email_token_account ON email_token (account_id, purpose, created_at);
CREATE INDEX ix_email_token_expiry ON email_token (expires_at);

-- The account's own security log: verified and removed emails, password resets and changes, claims dropped because
-- another account verified the address, sign-ins ended with them.
CREATE TABLE security_event (
    id              BIGINT        NOT NULL PRIMARY KEY,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    event           VARCHAR(40)   NOT NULL,
    detail          VARCHAR(1000)
);
CREATE INDEX ix_security_event_account ON security_event (account_id, created_at);

-- Attempt counters shared by every node (cluster-wide throttling): one row per key and fixed window.
CREATE TABLE throttle (
    throttle_key    VARCHAR(300)  NOT NULL PRIMARY KEY,
    window_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER       NOT NULL
);
CREATE INDEX ix_throttle_window ON throttle (window_start);

-- Matching email domains of an organization: when set, only IdP emails in these domains pass its SSO or join
-- through it. One domain per line.
ALTER TABLE org_sso_settings ADD COLUMN email_domains VARCHAR(4000);
