-- An organization's SSO session belongs to the hub sign-in in which the member passed the IdP, not to the account:
-- a second browser that signs in to the hub with the password alone must pass the IdP again (its MFA and
-- conditional access are meant for this sign-in). Sessions made before this version were not bound to a sign-in;
-- they end here, so members pass the IdP once more. Signing out ends the SSO sessions of that sign-in; a sign-in
-- row that is purged takes its SSO sessions with it.
DELETE FROM org_sso_session;
ALTER TABLE org_sso_session ADD COLUMN sign_in_id VARCHAR(64) NOT NULL;
ALTER TABLE org_sso_session ADD CONSTRAINT fk_org_sso_session_sign_in
    FOREIGN KEY (sign_in_id) REFERENCES hub_sign_in (id) ON DELETE CASCADE;
-- One SSO session per sign-in and organization: the access check reads exactly this row.
CREATE UNIQUE INDEX uq_org_sso_session_sign_in ON org_sso_session (sign_in_id, org_id);
DROP INDEX ix_org_sso_session_newest;

-- A sign-in in flight is bound to the hub sign-in that started it (before: to a secret in the HTTP session made at
-- the same moment). Sign-ins in flight during the upgrade are dropped; their answers are refused as unknown.
DELETE FROM sso_pending_request;
DROP INDEX ix_sso_pending_binding;
ALTER TABLE sso_pending_request DROP COLUMN session_binding;
ALTER TABLE sso_pending_request ADD COLUMN sign_in_id VARCHAR(64) NOT NULL;
CREATE INDEX ix_sso_pending_sign_in ON sso_pending_request (org_id, sign_in_id);
