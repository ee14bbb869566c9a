-- The organization's own SAML keys (the service provider's): one signing and one encryption key pair, published in
-- its SP metadata. Signing keys sign AuthnRequests; encryption keys decrypt the assertions an IdP encrypts to them.
-- A rollover publishes a "next" key beside the "active" one before it takes over; the one it replaces is kept as
-- "retired" (an IdP may still encrypt to it for a while). The private key is sealed with the hub's secret key
-- (AES-256-GCM, bound to this row's organization and fingerprint); the certificate is public.
CREATE TABLE sp_key (
    org_id          BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    sha256          VARCHAR(100)  NOT NULL,
    key_use         VARCHAR(16)   NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    certificate     VARCHAR(4000) NOT NULL,
    private_key     VARCHAR(8000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    activated_at    TIMESTAMP WITH TIME ZONE,
    retired_at      TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (org_id, sha256)
);

-- Whether AuthnRequests are signed (HTTP-Redirect binding, RSA-SHA256) with the organization's signing key.
ALTER TABLE org_sso_settings ADD COLUMN saml_sign_requests BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE sso_config_draft ADD COLUMN saml_sign_requests BOOLEAN DEFAULT FALSE NOT NULL;
