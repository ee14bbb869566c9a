package org.hubsso.sso.saml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.dom.saml.v2.metadata.IDPSSODescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.rotation.HardcodedKeyLocator;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.common.exceptions.ProcessingException;
import org.keycloak.saml.processing.api.saml.v2.sig.SAML2Signature;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;
import org.keycloak.saml.processing.core.util.XMLSignatureUtil;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What the hub needs from IdP metadata (pasted, or fetched from the IdP's metadata URL): the HTTP-Redirect Sign-On
 * URL, the issuer (entity ID) and the signing certificates (during a rollover the IdP lists the next one too).
 * Parsed by keycloak-saml-core (no DTDs, no external entities); any DOCTYPE is refused.
 *
 * @param certificatePem the signing certificates' PEM blocks, one after the other
 * @param wantsSignedRequests the IdP's {@code WantAuthnRequestsSigned}: AuthnRequests must then be signed
 */
public record IdpMetadata(String signOnUrl, String idpIssuer, String certificatePem, boolean wantsSignedRequests) {

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
        List<IdpCertificate> signing = signingCertificates(idp);
        if (signing.isEmpty()) {
            throw new ValidationException(field, "The metadata has no signing certificate.");
        }
        return new IdpMetadata(redirect, descriptor.getEntityID(), IdpCertificate.pems(signing),
                Boolean.TRUE.equals(idp.isWantAuthnRequestsSigned()));
    }

    /** Every signing certificate (use "signing" or unspecified), each once, as keycloak-saml-core read them. */
    private static List<IdpCertificate> signingCertificates(IDPSSODescriptorType idp) {
        Map<String, IdpCertificate> found = new LinkedHashMap<>();
        for (KeyDescriptorType key : idp.getKeyDescriptor()) {
            if (key.getUse() != null && key.getUse() != KeyTypes.SIGNING || key.getKeyInfo() == null) {
                continue;
            }
            NodeList certificates = key.getKeyInfo().getElementsByTagNameNS(XMLSignature.XMLNS, "X509Certificate");
            for (int i = 0; i < certificates.getLength() && found.size() < IdpCertificate.MAX_TRUSTED; i++) {
                try {
                    IdpCertificate cert = IdpCertificate.parse("metadata", certificates.item(i).getTextContent(),
                            Instant.MIN);
                    found.putIfAbsent(cert.sha256Fingerprint(), cert);
                } catch (ValidationException unreadable) {
                    // not a certificate this hub can use (weak key, garbage): the others may be
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** The signing certificates, parsed. */
    public List<IdpCertificate> certificates() {
        return IdpCertificate.stored(certificatePem);
    }

    /**
     * Whether the metadata carries a signature, which must then verify with one of the trusted certificates (never a
     * key the document brings along).
     *
     * @return {@code false} for unsigned metadata
     * @throws ValidationException when it is signed, but not by a trusted certificate
     */
    public static boolean signatureVerifies(String field, String xml, List<IdpCertificate> trusted) {
        Document doc;
        try {
            doc = SamlXml.document(xml.getBytes(StandardCharsets.UTF_8));
        } catch (SsoFailure e) {
            throw new ValidationException(field, "This is not readable SAML 2.0 IdP metadata.");
        }
        if (XMLSignatureUtil.getSignature(doc.getDocumentElement()) == null) {
            return false;
        }
        for (IdpCertificate certificate : trusted) {
            try {
                if (new SAML2Signature().validate(doc, new HardcodedKeyLocator(certificate.certificate()
                        .getPublicKey()))) {
                    return true;
                }
            } catch (ProcessingException | RuntimeException e) {
                // not verifiable with this key; another may verify it
            }
        }
        throw new ValidationException(field, "The metadata is signed, but not by a certificate this organization"
                + " trusts: it was not used.");
    }
}
