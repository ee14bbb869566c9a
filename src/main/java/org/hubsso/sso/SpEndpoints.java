package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hubsso.hub.Organization;

/**
 * This hub's service-provider URLs for one organization. They are built from the stable Organization ID, so
 * renaming an organization never breaks what its IdP has registered, and an assertion for one organization's
 * SP can never be used at another's. The public base URL comes from {@code hub.base-url}; without it, from the
 * request (fine for one host; set it behind a proxy).
 */
@ApplicationScoped
public class SpEndpoints {

    @Inject
    @ConfigProperty(name = "hub.base-url")
    Optional<String> configuredBase;

    @Inject
    HttpServletRequest request;

    public String base() {
        String base = configuredBase.filter(b -> !b.isBlank()).orElseGet(this::fromRequest);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String entityId(Organization org) {
        return base() + "/organizations/" + org.getOrgUid() + "/saml/metadata";
    }

    public String metadataUrl(Organization org) {
        return entityId(org);
    }

    public String acsUrl(Organization org) {
        return base() + "/organizations/" + org.getOrgUid() + "/saml/acs";
    }

    /** The OpenID Connect redirect URI admins register at their IdP (by Organization ID, like the ACS). */
    public String oidcCallbackUrl(Organization org) {
        return base() + "/organizations/" + org.getOrgUid() + "/oidc/callback";
    }

    private String fromRequest() {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
