-- An OpenID Connect sign-in in flight keeps its nonce and PKCE code verifier with its pending request (its state is
-- the request id), so the IdP's redirect back may reach any cluster node. The verifier is sealed with the hub's
-- secret key. Only the newest OIDC sign-in of a browser session for an organization holds them (an earlier one is
-- superseded), and the callback takes them once.
ALTER TABLE sso_pending_request ADD COLUMN oidc_nonce VARCHAR(200);
ALTER TABLE sso_pending_request ADD COLUMN oidc_code_verifier VARCHAR(400);
CREATE INDEX ix_sso_pending_binding ON sso_pending_request (org_id, session_binding);
