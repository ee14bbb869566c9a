-- Issue 5: audit filters, per-organization SSO session timeout bounds, and the IdP role mapping.
-- Portable SQL for H2 2.x and PostgreSQL.

-- The member an audit record is about (the account that signed in, the member whose role changed, whose
-- sessions were revoked); the actor is who did it. Both are filters of the audit page.
ALTER TABLE sso_audit ADD COLUMN member_id BIGINT;
UPDATE sso_audit SET member_id = actor_id;
CREATE INDEX ix_sso_audit_event ON sso_audit (org_id, event, created_at);
CREATE INDEX ix_sso_audit_member ON sso_audit (org_id, member_id, created_at);

-- Session timeout: 15 minutes to 90 days (the default of 7 days is already in place).
ALTER TABLE org_sso_settings ADD CONSTRAINT ck_sso_timeout_bounds
    CHECK (session_timeout_seconds BETWEEN 900 AND 7776000);

-- Role mapping: a JSONPath into the IdP profile and a table IdP value -> role.
ALTER TABLE org_sso_settings ADD COLUMN role_mapping_enabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE org_sso_settings ADD COLUMN role_mapping_path VARCHAR(500);

CREATE TABLE sso_role_mapping (
    org_id          BIGINT        NOT NULL REFERENCES org_sso_settings (org_id) ON DELETE CASCADE,
    idp_value       VARCHAR(500)  NOT NULL,
    member_role     VARCHAR(16)   NOT NULL,
    CONSTRAINT pk_sso_role_mapping PRIMARY KEY (org_id, idp_value),
    CONSTRAINT ck_sso_role_mapping_role CHECK (member_role IN ('READ', 'CONTRIBUTOR', 'WRITE', 'ADMIN'))
);

-- Looking up an account's current SSO session of an organization by creation time (the timeout counts from it).
CREATE INDEX ix_org_sso_session_created ON org_sso_session (org_id, account_id, created_at);
