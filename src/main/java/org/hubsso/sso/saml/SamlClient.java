package org.hubsso.sso.saml;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SamlConfig;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.ValidatedAnswer;
import org.keycloak.common.util.KeycloakUriBuilder;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
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
 * (HTTP-Redirect), the SP metadata, and the validation of the IdP's answer with the pinned certificate.
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

    /** The IdP URL the browser is sent to, carrying an unsigned AuthnRequest with the given id. */
    URI authnRequestRedirect(String requestId) {
        return authnRequestRedirect(saml.getSignOnUrl(), spEntityId, acsUrl, requestId);
    }

    /**
     * Writers of this thread's AuthnRequests. keycloak-saml-core's own path ({@code SAML2AuthnRequestBuilder
     * .toDocument()}, then the redirect binding builder) looks an {@code XMLOutputFactory} up through the service
     * loader for every request, parses the written XML into a DOM and serializes it again: most of the CPU of
     * starting a sign-in. The same writer writes the same request here straight to bytes.
     */
    private static final ThreadLocal<XMLOutputFactory> OUTPUT =
            ThreadLocal.withInitial(XMLOutputFactory::newDefaultFactory);

    /**
     * The HTTP-Redirect binding of an unsigned AuthnRequest: {@code requestId} (ours, stored as pending before the
     * redirect) as its ID and the RelayState, the ACS with the HTTP-POST binding, NameID format email.
     */
    static URI authnRequestRedirect(String signOnUrl, String spEntityId, String acsUrl, String requestId) {
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
            ByteArrayOutputStream xml = new ByteArrayOutputStream(1024);
            XMLStreamWriter writer = OUTPUT.get().createXMLStreamWriter(xml, StandardCharsets.UTF_8.name());
            new SAMLRequestWriter(writer).write(request);
            writer.close();
            return KeycloakUriBuilder.fromUri(signOnUrl)
                    .queryParam(GeneralConstants.SAML_REQUEST_KEY,
                            RedirectBindingUtil.deflateBase64Encode(xml.toByteArray()))
                    .queryParam(GeneralConstants.RELAY_STATE, requestId)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the SAML AuthnRequest", e);
        }
    }

    /** Every check of the ACS checklist, with this configuration. */
    ValidatedAnswer validate(SamlResponseValidator.Read answer, Instant now) throws SsoFailure {
        return SamlResponseValidator.check(answer, expectations, now);
    }

    /** SP metadata for admins to give to their IdP: entity ID, ACS (HTTP-POST), NameID format email. */
    static String metadata(String spEntityId, String acsUrl) {
        try {
            EntityDescriptorType descriptor = SPMetadataDescriptor.buildSPDescriptor(
                    List.of(new EndpointType(URI.create(JBossSAMLURIConstants.SAML_HTTP_POST_BINDING.get()),
                            URI.create(acsUrl))),
                    Collections.emptyList(), false, true, false, spEntityId,
                    JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get(), Collections.emptyList(), Collections.emptyList());
            return SAMLMetadataUtil.writeEntityDescriptorType(descriptor);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write SP metadata", e);
        }
    }
}
