-- An empty SAML email attribute now means "automatic": the NameID when its format is email, else the one address
-- among the attributes IdPs send it in (email, mail, urn:oid:0.9.2342.19200300.100.1.3, the claim URI of ADFS and
-- Entra ID). A named attribute is taken as named, before the NameID. 'email' was the default nobody chose; as
-- "automatic" it reads the same NameID and the same attribute as before, and the other names besides.
UPDATE org_sso_settings SET saml_email_attribute = '' WHERE saml_email_attribute = 'email';
UPDATE sso_config_draft SET saml_email_attribute = '' WHERE saml_email_attribute = 'email';
ALTER TABLE org_sso_settings ALTER COLUMN saml_email_attribute SET DEFAULT '';
ALTER TABLE sso_config_draft ALTER COLUMN saml_email_attribute SET DEFAULT '';
