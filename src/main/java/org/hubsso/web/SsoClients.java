package org.hubsso.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.SecretBox;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoSecrets;
import org.hubsso.sso.oidc.OrgOidcClient;
import org.hubsso.sso.saml.OrgSamlClient;
import org.hubsso.sso.saml.SamlAdapter;
import org.pac4j.core.context.CallContext;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.jee.context.session.JEESessionStore;

/**
 * The pac4j clients, one per organization, built at run time from the organization's SSO settings and rebuilt
 * when their configuration version changes (on any node: the version is read from the database with the
 * settings at every request), so nothing ever needs a restart.
 */
@ApplicationScoped
public class SsoClients {

    private static final Logger LOG = Logger.getLogger(SsoClients.class.getName());

    /** A client built for one configuration version and endpoint URL (the ACS or the OIDC redirect URI). */
    private record Cached<C>(long version, String url, C client) {
    }

    private final ConcurrentHashMap<Long, Cached<OrgSamlClient>> samlClients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Cached<OrgOidcClient>> oidcClients = new ConcurrentHashMap<>();

    @Inject
    SsoSecrets secrets;

    @Inject
    SpEndpoints endpoints;

    @Inject
    HubClock clock;

    public OrgSamlClient saml(Organization org, OrgSsoSettings settings) {
        String acs = endpoints.acsUrl(org);
        return cached(samlClients, org, settings, acs, () -> {
            OrgSamlClient client = new OrgSamlClient(org.getOrgUid(), acs,
                    new SamlAdapter(settings, endpoints.entityId(org), acs), clock.asClock());
            client.init();
            return client;
        });
    }

    /**
     * The organization's OpenID Connect client; its client secret is opened only to build it.
     *
     * @throws SsoFailure when the client cannot be built (secret sealed with another key, unusable metadata)
     */
    public OrgOidcClient oidc(Organization org, OrgSsoSettings settings) throws SsoFailure {
        try {
            return buildOidc(org, settings);
        } catch (SecretBox.SealedValueException e) {
            throw new SsoFailure(SsoFailure.Reason.SECRET_UNREADABLE, SsoFailure.Reason.SECRET_UNREADABLE.text());
        } catch (RuntimeException e) {
            LOG.warning("OIDC client of organization " + org.getName() + " cannot be built: "
                    + e.getClass().getName() + ": " + e.getMessage());
            throw new SsoFailure(SsoFailure.Reason.CONFIGURATION_UNUSABLE, "The IdP's settings cannot be used: "
                    + e.getMessage());
        }
    }

    private OrgOidcClient buildOidc(Organization org, OrgSsoSettings settings) {
        String callback = endpoints.oidcCallbackUrl(org);
        return cached(oidcClients, org, settings, callback, () -> {
            String secret = settings.getOidcClientSecret() == null ? null
                    : secrets.openOidcSecret(org.getId(), settings.getOidcClientSecret());
            return new OrgOidcClient(org.getOrgUid(), callback, settings, secret, clock.asClock());
        });
    }

    /**
     * The organization's cached client, or a new one when its configuration version or endpoint URL changed. A
     * build that fails caches nothing.
     */
    private static <C> C cached(ConcurrentHashMap<Long, Cached<C>> cache, Organization org, OrgSsoSettings settings,
            String url, Supplier<C> build) {
        return cache.compute(org.getId(), (id, old) -> old != null && old.version() == settings.getConfigVersion()
                && old.url().equals(url) ? old : new Cached<>(settings.getConfigVersion(), url, build.get())).client();
    }

    /** pac4j's view of this request; its session store only reads an existing session. */
    public static CallContext context(HttpServletRequest request, HttpServletResponse response) {
        return new CallContext(new JEEContext(request, response), new JEESessionStore());
    }
}
