-- How the IdP answered a sign-in in flight, typed: ACCEPTED with the identity, or REFUSED with the failed check (its
-- reason code, plain words and the measured clock skew) in columns of their own, instead of a failure written as JSON
-- into the identity column and told apart by comparing strings.
ALTER TABLE sso_pending_request ADD COLUMN failure_reason VARCHAR(40);
ALTER TABLE sso_pending_request ADD COLUMN failure_detail VARCHAR(2000);
ALTER TABLE sso_pending_request ADD COLUMN failure_skew_millis BIGINT;
UPDATE sso_pending_request SET failure_reason = outcome, identity_json = NULL WHERE outcome IS NOT NULL AND outcome <> 'OK';
UPDATE sso_pending_request SET outcome = 'REFUSED' WHERE outcome IS NOT NULL AND outcome <> 'OK';
UPDATE sso_pending_request SET outcome = 'ACCEPTED' WHERE outcome = 'OK';
ALTER TABLE sso_pending_request ADD CONSTRAINT ck_sso_pending_outcome
    CHECK (outcome IS NULL OR outcome IN ('ACCEPTED', 'REFUSED'));
