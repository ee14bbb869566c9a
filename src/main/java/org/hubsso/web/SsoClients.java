package org.hubsso.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.ConcurrentHashMap;
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

    private record Entry(long version, String acsUrl, OrgSamlClient client) {
    }

    private record OidcEntry(long version, String callbackUrl, OrgOidcClient client) {
    }

    private final ConcurrentHashMap<Long, Entry> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, OidcEntry> oidcClients = new ConcurrentHashMap<>();

    @Inject
    SsoSecrets secrets;

    @Inject
    SpEndpoints endpoints;

    @Inject
    HubClock clock;

    public OrgSamlClient saml(Organization org, OrgSsoSettings settings) {
        String acs = endpoints.acsUrl(org);
        String entityId = endpoints.entityId(org);
        return clients.compute(org.getId(), (id, old) -> {
            if (old != null && old.version() == settings.getConfigVersion() && old.acsUrl().equals(acs)) {
                return old;
            }
            OrgSamlClient client = new OrgSamlClient(org.getOrgUid(), acs, new SamlAdapter(settings, entityId, acs),
                    clock.asClock());
            client.init();
            return new Entry(settings.getConfigVersion(), acs, client);
        }).client();
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
        return oidcClients.compute(org.getId(), (id, old) -> {
            if (old != null && old.version() == settings.getConfigVersion() && old.callbackUrl().equals(callback)) {
                return old;
            }
            String secret = settings.getOidcClientSecret() == null ? null
                    : secrets.openOidcSecret(org.getId(), settings.getOidcClientSecret());
            return new OidcEntry(settings.getConfigVersion(), callback,
                    new OrgOidcClient(org.getOrgUid(), callback, settings, secret, clock.asClock()));
        }).client();
    }

    /** pac4j's view of this request; its session store only reads an existing session. */
    public static CallContext context(HttpServletRequest request, HttpServletResponse response) {
        return new CallContext(new JEEContext(request, response), new JEESessionStore());
    }
}
