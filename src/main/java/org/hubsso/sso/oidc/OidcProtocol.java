package org.hubsso.sso.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.IdpProtocol;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.ProtocolClients;
import org.hubsso.sso.SecretBox;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.SsoSecrets;
import org.hubsso.sso.ValidatedAnswer;

/**
 * OpenID Connect for the SSO core: the authorization redirect of a sign-in, and its callback. The callback is a
 * top-level GET in the browser that started the sign-in, so the state, nonce and PKCE verifier come from that
 * browser's sign-in in progress ({@link AnswerContext#takeFlow()}), and the configuration from the sign-in the state
 * names.
 */
@ApplicationScoped
public class OidcProtocol implements IdpProtocol {

    private static final Logger LOG = Logger.getLogger(OidcProtocol.class.getName());

    private final ProtocolClients<OidcClient> clients = new ProtocolClients<>();

    @Inject
    SsoSecrets secrets;

    @Inject
    SpEndpoints endpoints;

    @Inject
    HubClock clock;

    @Inject
    OidcKeys keys;

    @Override
    public SsoProtocol protocol() {
        return SsoProtocol.OIDC;
    }

    @Override
    public Start start(Organization org, IdpConfig config, String requestId) throws SsoFailure {
        return client(org, config).redirect(requestId);
    }

    @Override
    public ValidatedAnswer answer(Organization org, IdpRequest request, AnswerContext context) throws SsoFailure {
        Optional<TakenFlow> flow = context.takeFlow();
        IdpConfig config = context.configFor(flow.map(TakenFlow::requestId).orElse(null));
        return client(org, config).answer(request, flow);
    }

    /**
     * The organization's client for this configuration; its client secret is opened only to build it.
     *
     * @throws SsoFailure when the client cannot be built (secret sealed with another key, unusable metadata)
     */
    private OidcClient client(Organization org, IdpConfig config) throws SsoFailure {
        String callback = endpoints.oidcCallbackUrl(org);
        try {
            return clients.get(org, config, callback, () -> {
                String sealed = config.oidc().getSealedClientSecret();
                String secret = sealed == null ? null : secrets.openOidcSecret(org.getId(), sealed);
                return new OidcClient(callback, config, secret, clock.asClock(),
                        keys.of(org.getId(), OidcDiscovery.restricted(config.oidc().getMetadata()).getJWKSetURI()),
                        keys.outbound().http());
            });
        } catch (SecretBox.SealedValueException e) {
            throw new SsoFailure(SsoFailure.Reason.SECRET_UNREADABLE, SsoFailure.Reason.SECRET_UNREADABLE.text());
        } catch (RuntimeException e) {
            LOG.warning("OIDC client of organization " + org.getName() + " cannot be built: "
                    + e.getClass().getName() + ": " + e.getMessage());
            throw new SsoFailure(SsoFailure.Reason.CONFIGURATION_UNUSABLE, "The IdP's settings cannot be used: "
                    + e.getMessage());
        }
    }
}
