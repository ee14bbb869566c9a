package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;
import org.hubsso.hub.Organization;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.IdpProtocol;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.ProtocolClients;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.SpKey;
import org.hubsso.sso.SpKeySet;
import org.hubsso.sso.SpKeys;
import org.hubsso.sso.SsoConfigs;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.ValidatedAnswer;

/**
 * SAML 2.0 for the SSO core: the AuthnRequest (HTTP-Redirect binding, signed with the organization's SP key when its
 * configuration says so), the answer at the ACS (HTTP-POST binding only, checked by {@link SamlResponseValidator}
 * with the configuration of the sign-in it claims to answer, decrypted with the organization's keys when encrypted),
 * and the SP metadata with the organization's keys.
 */
@ApplicationScoped
public class SamlProtocol implements IdpProtocol {

    static final String SAML_RESPONSE = "SAMLResponse";

    private final ProtocolClients<SamlClient> clients = new ProtocolClients<>();

    @Inject
    SpEndpoints endpoints;

    @Inject
    SamlMetadataRefresh metadata;

    @Inject
    SpKeys spKeys;

    @Inject
    SsoConfigs configs;

    @Override
    public SsoProtocol protocol() {
        return SsoProtocol.SAML;
    }

    @Override
    public Start start(Organization org, IdpConfig config, String requestId) throws SsoFailure {
        PrivateKey signing = config.saml().isSignRequests() ? signingKey(org) : null;
        return new Start(client(org, config).authnRequestRedirect(requestId, signing).toString(), null);
    }

    private PrivateKey signingKey(Organization org) throws SsoFailure {
        PrivateKey key = spKeys.of(org).active(SpKey.Use.SIGNING).privateKey();
        if (key == null) {
            throw new SsoFailure(SsoFailure.Reason.SP_KEY_UNREADABLE, SsoFailure.Reason.SP_KEY_UNREADABLE.text());
        }
        return key;
    }

    /**
     * {@inheritDoc} An answer signed by no trusted certificate makes a configuration with a metadata URL refresh it
     * (the IdP may have rotated its key, {@link SamlMetadataRefresh#refreshForUnknownKey}) and try once more.
     */
    @Override
    public ValidatedAnswer answer(Organization org, IdpRequest request, AnswerContext context) throws SsoFailure {
        requirePostBinding(request);
        SamlResponseValidator.Read read = SamlResponseValidator.read(request.first(SAML_RESPONSE).orElse(null));
        IdpConfig config = context.configFor(read.claimedRequest());
        SamlResponseValidator.DecryptionKeys keys = () -> spKeys.of(org).decryptionKeys();
        try {
            return client(org, config).validate(read, context.now(), keys);
        } catch (SsoFailure failure) {
            if (failure.reason() != SsoFailure.Reason.SIGNATURE_INVALID
                    || !metadata.refreshForUnknownKey(org, config)) {
                throw failure;
            }
            IdpConfig refreshed = context.configFor(read.claimedRequest());
            if (refreshed.version() == config.version()) {
                throw failure;
            }
            return client(org, refreshed).validate(read, context.now(), keys);
        }
    }

    /**
     * {@inheritDoc} It says whether AuthnRequests are signed as the configuration being worked on does (the draft
     * under test, else the live one), and publishes the organization's signing and encryption keys, made now if it
     * has none yet.
     */
    @Override
    public Optional<String> metadata(Organization org) {
        SpKeySet keys = spKeys.of(org);
        return Optional.of(SamlClient.metadata(endpoints.entityId(org), endpoints.acsUrl(org),
                configs.working(org).saml().isSignRequests(), keys.published(SpKey.Use.SIGNING),
                keys.published(SpKey.Use.ENCRYPTION)));
    }

    /**
     * The HTTP-POST binding carries exactly one SAMLResponse in the form body: a second value (or one in the query
     * string, which a servlet would prefer) could be read differently by another component, and the redirect
     * binding's SigAlg/Signature have no place here.
     */
    static void requirePostBinding(IdpRequest request) throws SsoFailure {
        List<String> values = request.all(SAML_RESPONSE);
        if (values.size() > 1) {
            throw new SsoFailure(MALFORMED, "The request carries " + values.size()
                    + " SAMLResponse parameters; exactly one is accepted.");
        }
        if (request.queryString() != null && !request.queryString().isEmpty()) {
            throw new SsoFailure(MALFORMED, "The ACS accepts the HTTP-POST binding only: no parameters in the query"
                    + " string.");
        }
        if (request.has("SigAlg") || request.has("Signature") || request.all("RelayState").size() > 1) {
            throw new SsoFailure(MALFORMED, "Redirect-binding signature parameters or a repeated RelayState are not"
                    + " accepted at the HTTP-POST ACS.");
        }
    }

    private SamlClient client(Organization org, IdpConfig config) {
        String acs = endpoints.acsUrl(org);
        return clients.get(org, config, acs, () -> new SamlClient(config, endpoints.entityId(org), acs));
    }
}
