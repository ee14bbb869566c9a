package org.hubsso.sso;

public enum SsoProtocol {
    SAML, OIDC
}
