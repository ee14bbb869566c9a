-- The audit log's member filter matches a member as the record's member or as its actor. One query with
-- "member_id = ? or actor_id = ?" read every record of the organization (1 s on 2 M records); it is now two queries,
-- each served by an index of its own: ix_sso_audit_member (V4) and this one. Pages are found by (created_at, id).
CREATE INDEX ix_sso_audit_actor ON sso_audit (org_id, actor_id, created_at);
