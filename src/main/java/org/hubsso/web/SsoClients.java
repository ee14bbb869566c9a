package org.hubsso.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SecretBox;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoSecrets;
import org.hubsso.sso.oidc.OidcKeys;
import org.hubsso.sso.oidc.OrgOidcClient;
import org.hubsso.sso.saml.SamlAdapter;

/**
 * The protocol clients, built at run time from one version of an organization's configuration: the live one, and
 * a draft under test beside it. Each organization keeps the clients of its two newest versions, so members signing
 * in with the live configuration and an admin testing a draft do not rebuild each other's; a new version (on any
 * node: the version is read from the database) gets a new client, so nothing ever needs a restart.
 */
@ApplicationScoped
public class SsoClients {

    private static final Logger LOG = Logger.getLogger(SsoClients.class.getName());
    private static final int VERSIONS_KEPT = 2;

    /** A client built for one configuration version and endpoint URL (the ACS or the OIDC redirect URI). */
    private record Cached(long version, String url, Object client) {
    }

    private final ConcurrentHashMap<Long, List<Cached>> samlClients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, List<Cached>> oidcClients = new ConcurrentHashMap<>();

    @Inject
    SsoSecrets secrets;

    @Inject
    SpEndpoints endpoints;

    @Inject
    HubClock clock;

    @Inject
    OidcKeys oidcKeys;

    public SamlAdapter saml(Organization org, IdpConfig config) {
        String acs = endpoints.acsUrl(org);
        return (SamlAdapter) cached(samlClients, org, config, acs,
                () -> new SamlAdapter(config, endpoints.entityId(org), acs));
    }

    /**
     * The organization's OpenID Connect client for this configuration; its client secret is opened only to build it.
     *
     * @throws SsoFailure when the client cannot be built (secret sealed with another key, unusable metadata)
     */
    public OrgOidcClient oidc(Organization org, IdpConfig config) throws SsoFailure {
        String callback = endpoints.oidcCallbackUrl(org);
        try {
            return (OrgOidcClient) cached(oidcClients, org, config, callback, () -> {
                String sealed = config.oidc().getSealedClientSecret();
                String secret = sealed == null ? null : secrets.openOidcSecret(org.getId(), sealed);
                return new OrgOidcClient(org.getId(), org.getOrgUid(), callback, config, secret, clock.asClock(),
                        oidcKeys);
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

    /**
     * The organization's client of this configuration version and endpoint URL, or a new one; the oldest of more than
     * {@link #VERSIONS_KEPT} versions is dropped. A build that fails caches nothing.
     */
    private static Object cached(ConcurrentHashMap<Long, List<Cached>> cache, Organization org, IdpConfig config,
            String url, Supplier<Object> build) {
        Object[] found = new Object[1];
        cache.compute(org.getId(), (id, kept) -> {
            List<Cached> clients = kept == null ? new ArrayList<>() : new ArrayList<>(kept);
            for (Cached c : clients) {
                if (c.version() == config.version() && c.url().equals(url)) {
                    found[0] = c.client();
                    return kept;
                }
            }
            clients.removeIf(c -> c.version() == config.version());
            Cached made = new Cached(config.version(), url, build.get());
            clients.add(made);
            clients.sort(Comparator.comparingLong(Cached::version).reversed());
            found[0] = made.client();
            return List.copyOf(clients.subList(0, Math.min(VERSIONS_KEPT, clients.size())));
        });
        return found[0];
    }
}
