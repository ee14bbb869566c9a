-- One row per hub sign-in. The HTTP session holds only the row's id; every request checks the row is still open,
-- so signing out ends the sign-in on every cluster node at once (a node may keep its own copy of a session).
CREATE TABLE hub_sign_in (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_hub_sign_in_created ON hub_sign_in (created_at);
