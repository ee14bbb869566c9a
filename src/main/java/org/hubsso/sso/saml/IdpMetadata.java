package org.hubsso.sso.saml;

import java.security.cert.X509Certificate;
import java.util.Base64;
import org.hubsso.hub.ValidationException;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.dom.saml.v2.metadata.IDPSSODescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;

/**
 * What an admin needs from pasted IdP metadata: the HTTP-Redirect Sign-On URL, the issuer (entity ID) and the
 * signing certificate. Parsed by keycloak-saml-core (no DTDs, no external entities); any DOCTYPE is refused.
 */
public record IdpMetadata(String signOnUrl, String idpIssuer, String certificatePem) {

    public static final int MAX_LENGTH = 200_000;

    public static IdpMetadata read(String field, String xml) {
        if (xml == null || xml.isBlank()) {
            throw new ValidationException(field, "Paste the IdP's metadata XML.");
        }
        if (xml.length() > MAX_LENGTH) {
            throw new ValidationException(field, "This is larger than IdP metadata should be.");
        }
        if (xml.contains("<!DOCTYPE")) {
            throw new ValidationException(field, "Metadata with a DOCTYPE declaration is not accepted.");
        }
        EntityDescriptorType descriptor;
        try {
            descriptor = SAMLMetadataUtil.parseEntityDescriptorType(xml);
        } catch (Exception | LinkageError e) {
            throw new ValidationException(field, "This is not readable SAML 2.0 IdP metadata.");
        }
        IDPSSODescriptorType idp = descriptor == null ? null : SAMLMetadataUtil.locateIDPSSODescriptorType(descriptor);
        if (idp == null) {
            throw new ValidationException(field, "The metadata describes no identity provider (IDPSSODescriptor).");
        }
        String redirect = null;
        for (EndpointType endpoint : idp.getSingleSignOnService()) {
            if (JBossSAMLURIConstants.SAML_HTTP_REDIRECT_BINDING.get().equals(String.valueOf(endpoint.getBinding()))) {
                redirect = String.valueOf(endpoint.getLocation());
                break;
            }
        }
        if (redirect == null) {
            throw new ValidationException(field, "The IdP offers no HTTP-Redirect single sign-on service.");
        }
        X509Certificate signing;
        try {
            signing = SAMLMetadataUtil.getCertificate(KeyTypes.SIGNING, idp);
        } catch (Exception e) {
            signing = null;
        }
        if (signing == null) {
            throw new ValidationException(field, "The metadata has no signing certificate.");
        }
        try {
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(signing.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            return new IdpMetadata(redirect, descriptor.getEntityID(), pem);
        } catch (Exception e) {
            throw new ValidationException(field, "The signing certificate in the metadata is not readable.");
        }
    }
}
