/**
 * The SAML 2.0 adapter ({@link org.hubsso.sso.saml.SamlProtocol}) on keycloak-saml-core: the AuthnRequest
 * (HTTP-Redirect, signed with the organization's SP key when configured), the SP metadata with its keys, and the ACS
 * checklist as stages ({@link org.hubsso.sso.saml.SamlResponseValidator}: XML hardening, decryption of an encrypted
 * assertion, signature rules, assertion rules with one method per reason code, identity mapping); plus the
 * SAML fields of the settings ({@link org.hubsso.sso.saml.SamlSettings}) and IdP metadata.
 *
 * <p>Uses {@code org.hubsso.sso} (the core it plugs into), {@code org.hubsso.hub} and {@code org.hubsso.access}
 * (the settings are guarded). Nothing here touches the database: sign-ins in flight and the replay table are the
 * core's.
 */
package org.hubsso.sso.saml;
