-- Hub core schema. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 13+.
-- Times are TIMESTAMP WITH TIME ZONE (written in UTC). Ids come from one sequence.

CREATE SEQUENCE hub_seq START WITH 1000 INCREMENT BY 50;

CREATE TABLE account (
    id              BIGINT       NOT NULL PRIMARY KEY,
    username        VARCHAR(40)  NOT NULL,
    username_key    VARCHAR(40)  NOT NULL,
    display_name    VARCHAR(100) NOT NULL,
    password_hash   VARCHAR(400) NOT NULL,
    site_admin      BOOLEAN      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version     BIGINT       NOT NULL,
    CONSTRAINT uq_account_username UNIQUE (username_key)
);

CREATE TABLE account_email (
    id              BIGINT       NOT NULL PRIMARY KEY,
    account_id      BIGINT       NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    address         VARCHAR(254) NOT NULL,
    address_key     VARCHAR(254) NOT NULL,
    verified        BOOLEAN      NOT NULL,
    primary_email   BOOLEAN      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_account_email_address UNIQUE (address_key)
);
CREATE INDEX ix_account_email_account ON account_email (account_id);

CREATE TABLE organization (
    id              BIGINT       NOT NULL PRIMARY KEY,
    name            VARCHAR(40)  NOT NULL,
    name_key        VARCHAR(40)  NOT NULL,
    org_uid         VARCHAR(24)  NOT NULL,
    display_name    VARCHAR(100) NOT NULL,
    default_role    VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version     BIGINT       NOT NULL,
    CONSTRAINT uq_organization_name UNIQUE (name_key),
    CONSTRAINT uq_organization_uid UNIQUE (org_uid),
    CONSTRAINT ck_organization_default_role CHECK (default_role IN ('READ', 'CONTRIBUTOR', 'WRITE', 'ADMIN'))
);

CREATE TABLE membership (
    id              BIGINT       NOT NULL PRIMARY KEY,
    org_id          BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    account_id      BIGINT       NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    member_role     VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version     BIGINT       NOT NULL,
    CONSTRAINT uq_membership UNIQUE (org_id, account_id),
    CONSTRAINT ck_membership_role CHECK (member_role IN ('READ', 'CONTRIBUTOR', 'WRITE', 'ADMIN'))
);
CREATE INDEX ix_membership_account ON membership (account_id);

CREATE TABLE repository (
    id              BIGINT       NOT NULL PRIMARY KEY,
    org_id          BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    kind            VARCHAR(16)  NOT NULL,
    name            VARCHAR(96)  NOT NULL,
    name_key        VARCHAR(96)  NOT NULL,
    visibility      VARCHAR(16)  NOT NULL,
    readme          VARCHAR(20000) NOT NULL,
    created_by      BIGINT       REFERENCES account (id) ON DELETE SET NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version     BIGINT       NOT NULL,
    CONSTRAINT uq_repository_name UNIQUE (org_id, name_key),
    CONSTRAINT ck_repository_kind CHECK (kind IN ('MODEL', 'DATASET', 'SPACE')),
    CONSTRAINT ck_repository_visibility CHECK (visibility IN ('PUBLIC', 'PRIVATE'))
);

-- Single sign-on state of an organization. The SSO issues add protocol columns in later migrations.
CREATE TABLE org_sso_settings (
    org_id                  BIGINT  NOT NULL PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
    enabled                 BOOLEAN NOT NULL,
    session_timeout_seconds BIGINT  NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version             BIGINT  NOT NULL,
    CONSTRAINT ck_sso_timeout CHECK (session_timeout_seconds > 0)
);

-- One row per successful SSO login of an account into an organization.
CREATE TABLE org_sso_session (
    id              BIGINT  NOT NULL PRIMARY KEY,
    org_id          BIGINT  NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    account_id      BIGINT  NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_org_sso_session_lookup ON org_sso_session (account_id, org_id, expires_at);
