package org.hubsso.sso.saml;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.saml.BaseSAML2BindingBuilder;
import org.keycloak.saml.SAML2AuthnRequestBuilder;
import org.keycloak.saml.SAML2NameIDPolicyBuilder;
import org.keycloak.saml.SPMetadataDescriptor;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;
import org.w3c.dom.Document;

/**
 * The SAML protocol step of one organization, on keycloak-saml-core: the AuthnRequest (HTTP-Redirect), the SP
 * metadata, and the validation of the IdP's answer. Everything after validation is the shared SSO pipeline.
 */
public final class SamlAdapter {

    private final OrgSsoSettings settings;
    private final String spEntityId;
    private final String acsUrl;
    private final SamlResponseValidator.Expectations expectations;

    /** The settings were validated when saved; the pinned certificate is parsed once, here, not per answer. */
    public SamlAdapter(OrgSsoSettings settings, String spEntityId, String acsUrl) {
        this.settings = settings;
        this.spEntityId = spEntityId;
        this.acsUrl = acsUrl;
        IdpCertificate certificate = IdpCertificate.parse("certificate", settings.getSamlIdpCertificate(),
                Instant.MIN);
        this.expectations = new SamlResponseValidator.Expectations(spEntityId, acsUrl, settings.getSamlIdpIssuer(),
                certificate.certificate(), settings.getClockSkew(), settings.getSamlEmailAttribute(),
                settings.isSamlAllowSha1());
    }

    /** The IdP URL the browser is sent to, carrying an unsigned AuthnRequest with the given id. */
    @SuppressWarnings("rawtypes")
    public URI authnRequestRedirect(String requestId) {
        try {
            SAML2AuthnRequestBuilder builder = new SAML2AuthnRequestBuilder()
                    .issuer(spEntityId)
                    .destination(settings.getSamlSignOnUrl())
                    .assertionConsumerUrl(acsUrl)
                    .protocolBinding(JBossSAMLURIConstants.SAML_HTTP_POST_BINDING.get())
                    .nameIdPolicy(SAML2NameIDPolicyBuilder.format(JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get())
                            .setAllowCreate(Boolean.TRUE));
            Document doc = builder.toDocument();
            // The request id is ours (stored as pending before the redirect); the request is unsigned.
            doc.getDocumentElement().setAttribute("ID", requestId);
            return new BaseSAML2BindingBuilder().relayState(requestId).redirectBinding(doc)
                    .requestURI(settings.getSamlSignOnUrl());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the SAML AuthnRequest", e);
        }
    }

    public SamlResponseValidator.Validated validate(String samlResponse, Instant now) throws SsoFailure {
        return SamlResponseValidator.validate(samlResponse, expectations, now);
    }

    /** SP metadata for admins to give to their IdP: entity ID, ACS (HTTP-POST), NameID format email. */
    public static String metadata(String spEntityId, String acsUrl) {
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
