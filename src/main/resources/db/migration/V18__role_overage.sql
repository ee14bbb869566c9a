-- What a sign-in whose groups the IdP left out (Entra ID's overage reference) gets while role mapping is on: refused
-- (false, the default), or the organization's default role (true).
ALTER TABLE org_sso_settings ADD COLUMN role_overage_default BOOLEAN DEFAULT FALSE NOT NULL;
