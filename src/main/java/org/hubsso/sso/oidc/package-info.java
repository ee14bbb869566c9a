/**
 * The OpenID Connect adapter ({@link org.hubsso.sso.oidc.OidcProtocol}) on Nimbus oauth2-oidc-sdk: the
 * authorization code flow with PKCE (S256), state and nonce; the code redeemed at the token endpoint through
 * {@code org.hubsso.outbound}; the ID token checklist ({@link org.hubsso.sso.oidc.IdTokenRules}) with the IdP's
 * JWKS ({@link org.hubsso.sso.oidc.JwksKeys}); plus the OIDC fields of the settings and discovery
 * ({@link org.hubsso.sso.oidc.OidcSettings}, {@link org.hubsso.sso.oidc.OidcDiscovery}).
 *
 * <p>Uses {@code org.hubsso.sso} (the core it plugs into), {@code org.hubsso.hub}, {@code org.hubsso.access} (the
 * settings are guarded) and {@code org.hubsso.outbound}.
 */
package org.hubsso.sso.oidc;
