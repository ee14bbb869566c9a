-- Every guarded request of a member of an SSO organization reads the account's newest org SSO session (newest
-- first, id as the tie-break). The index of V4 ended at created_at, so the database read and sorted all of the
-- account's sessions of the organization (one row per sign-in) on every request; this one
-- hands the newest over first.
DROP INDEX ix_org_sso_session_created;
CREATE INDEX ix_org_sso_session_newest ON org_sso_session (org_id, account_id, created_at DESC, id DESC);
