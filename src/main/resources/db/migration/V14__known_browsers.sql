-- Browsers an account signed in with by password (or reset its password in): the sign-in throttle counts their
-- failures on their own, so a stranger's wrong guesses at an account never keep its owner out of a browser the
-- owner used before. Only the SHA-256 of the random cookie value is stored.
CREATE TABLE known_browser (
    token_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    account_id      BIGINT        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_known_browser_account ON known_browser (account_id, used_at);
CREATE INDEX ix_known_browser_used ON known_browser (used_at);
