package org.hubsso.sso.saml;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SamlConfig;
import org.hubsso.sso.SpKey;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.ValidatedAnswer;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.dom.saml.v2.protocol.AuthnRequestType;
import org.keycloak.saml.SAML2NameIDPolicyBuilder;
import org.keycloak.saml.SPMetadataDescriptor;
import org.keycloak.saml.common.constants.GeneralConstants;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;
import org.keycloak.saml.processing.core.saml.v2.util.XMLTimeUtil;
import org.keycloak.saml.processing.core.saml.v2.writers.SAMLRequestWriter;
import org.keycloak.saml.processing.web.util.RedirectBindingUtil;

/**
 * The SAML client of one version of an organization's configuration, on keycloak-saml-core: the AuthnRequest
 * (HTTP-Redirect, signed when the configuration says so), the SP metadata, and the validation of the IdP's answer
 * with the pinned certificates (and the organization's keys for an encrypted assertion).
 */
final class SamlClient {

    private final SamlConfig saml;
    private final String spEntityId;
    private final String acsUrl;
    private final SamlResponseValidator.Expectations expectations;

    /**
     * For one version of an organization's configuration (live, or a draft under test). It was validated when saved;
     * the trusted certificates are parsed once, here, not per answer.
     */
    SamlClient(IdpConfig config, String spEntityId, String acsUrl) {
        this.saml = config.saml();
        this.spEntityId = spEntityId;
        this.acsUrl = acsUrl;
        this.expectations = new SamlResponseValidator.Expectations(spEntityId, acsUrl, saml.getIdpIssuer(),
                saml.certificates().stream().map(IdpCertificate::certificate).toList(), config.clockSkew(),
                saml.getEmailAttribute(), saml.isAllowSha1());
    }

    /** The IdP URL the browser is sent to, carrying an AuthnRequest with the given id, signed with a given key. */
    URI authnRequestRedirect(String requestId, PrivateKey signingKey) {
        return authnRequestRedirect(saml.getSignOnUrl(), spEntityId, acsUrl, requestId, signingKey);
    }

    /**
     * Writers of this thread's AuthnRequests. keycloak-saml-core's own path ({@code SAML2AuthnRequestBuilder
     * .toDocument()}, then the redirect binding builder) looks an {@code XMLOutputFactory} up through the service
     * loader for every request, parses the written XML into a DOM and serializes it again: most of the CPU of
     * starting a sign-in. The same writer writes the same request here straight to bytes.
     */
    private static final ThreadLocal<XMLOutputFactory> OUTPUT =
            ThreadLocal.withInitial(XMLOutputFactory::newDefaultFactory);

    /** The signature algorithm of signed AuthnRequests, as the HTTP-Redirect binding names it. */
    static final String SIG_ALG = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    /**
     * The HTTP-Redirect binding of an AuthnRequest: {@code requestId} (ours, stored as pending before the redirect)
     * as its ID and the RelayState, the ACS with the HTTP-POST binding, NameID format email. With a signing key, the
     * binding's signature (SAML bindings 3.4.4.1): RSA-SHA256 over the query string
     * {@code SAMLRequest=…&RelayState=…&SigAlg=…} exactly as sent, in {@code Signature}. Any query the Sign-On URL
     * has (Google's {@code idpid}) is kept in front.
     */
    static URI authnRequestRedirect(String signOnUrl, String spEntityId, String acsUrl, String requestId,
            PrivateKey signingKey) {
        byte[] xml;
        try {
            AuthnRequestType request = new AuthnRequestType(requestId, XMLTimeUtil.getIssueInstant());
            request.setDestination(URI.create(signOnUrl));
            NameIDType issuer = new NameIDType();
            issuer.setValue(spEntityId);
            request.setIssuer(issuer);
            request.setAssertionConsumerServiceURL(URI.create(acsUrl));
            request.setProtocolBinding(URI.create(JBossSAMLURIConstants.SAML_HTTP_POST_BINDING.get()));
            request.setNameIDPolicy(SAML2NameIDPolicyBuilder.format(JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get())
                    .setAllowCreate(Boolean.TRUE).build());
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            XMLStreamWriter writer = OUTPUT.get().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            new SAMLRequestWriter(writer).write(request);
            writer.close();
            xml = out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the SAML AuthnRequest", e);
        }
        StringBuilder query = new StringBuilder(2048)
                .append(GeneralConstants.SAML_REQUEST_KEY).append('=').append(encode(deflate(xml)))
                .append('&').append(GeneralConstants.RELAY_STATE).append('=').append(encode(requestId));
        if (signingKey != null) {
            query.append("&SigAlg=").append(encode(SIG_ALG));
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(signingKey);
                signature.update(query.toString().getBytes(StandardCharsets.US_ASCII));
                query.append("&Signature=").append(encode(Base64.getEncoder().encodeToString(signature.sign())));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot sign the SAML AuthnRequest", e);
            }
        }
        return URI.create(signOnUrl + (URI.create(signOnUrl).getRawQuery() == null ? '?' : '&') + query);
    }

    private static String deflate(byte[] xml) {
        try {
            return RedirectBindingUtil.deflateBase64Encode(xml);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot deflate the SAML AuthnRequest", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Every check of the ACS checklist, with this configuration; {@code keys} decrypt an encrypted assertion. */
    ValidatedAnswer validate(SamlResponseValidator.Read answer, Instant now,
            SamlResponseValidator.DecryptionKeys keys) throws SsoFailure {
        return SamlResponseValidator.check(answer, expectations, now, keys);
    }

    /**
     * SP metadata for admins to give to their IdP: entity ID, ACS (HTTP-POST), NameID format email, whether
     * AuthnRequests are signed, and the organization's published keys: signing (active, then next) and encryption
     * (with the content and key transport algorithms this server decrypts, strongest first).
     */
    static String metadata(String spEntityId, String acsUrl, boolean signsRequests, List<SpKey> signing,
            List<SpKey> encryption) {
        try {
            List<KeyDescriptorType> signingKeys = new ArrayList<>();
            for (SpKey key : signing) {
                signingKeys.add(SPMetadataDescriptor.buildKeyDescriptorType(
                        SPMetadataDescriptor.buildKeyInfoElement(null, key.certificateBase64()), KeyTypes.SIGNING));
            }
            List<KeyDescriptorType> encryptionKeys = new ArrayList<>();
            for (SpKey key : encryption) {
                encryptionKeys.add(SPMetadataDescriptor.buildKeyDescriptorType(
                        SPMetadataDescriptor.buildKeyInfoElement(null, key.certificateBase64()), KeyTypes.ENCRYPTION,
                        ENCRYPTION_METHODS.toArray(String[]::new)));
            }
            EntityDescriptorType descriptor = SPMetadataDescriptor.buildSPDescriptor(
                    List.of(new EndpointType(URI.create(JBossSAMLURIConstants.SAML_HTTP_POST_BINDING.get()),
                            URI.create(acsUrl))),
                    // keycloak-saml-core writes the encryption KeyDescriptors only with its "want encrypted" flag
                    Collections.emptyList(), signsRequests, true, !encryptionKeys.isEmpty(), spEntityId,
                    JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get(), signingKeys, encryptionKeys);
            return SAMLMetadataUtil.writeEntityDescriptorType(descriptor);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write SP metadata", e);
        }
    }

    /** The EncryptionMethods the SP metadata offers, in order of preference. */
    static final List<String> ENCRYPTION_METHODS = List.of(
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p");
}
