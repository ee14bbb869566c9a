package org.hubsso.sso;

/**
 * What an OpenID Connect sign-in keeps until the IdP sends the browser back: the nonce it sent and its PKCE code
 * verifier. Kept with the pending request in the database (the verifier sealed), so any cluster node can take the
 * answer.
 */
public record FlowSecrets(String nonce, String codeVerifier) {

    @Override
    public String toString() {
        return "FlowSecrets[nonce]"; // the verifier is a secret
    }
}
