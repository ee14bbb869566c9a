package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The hub's public base URL, for links that leave the hub (SAML entity IDs, redirect URIs, links in mails):
 * {@code hub.base-url}, or else the current request's scheme, host and port (fine for one host; set it behind a
 * reverse proxy, where the request shows the proxy's view).
 */
@ApplicationScoped
public class PublicUrl {

    @Inject
    @ConfigProperty(name = "hub.base-url")
    Optional<String> configuredBase;

    @Inject
    HttpServletRequest request;

    /** The base URL, without a trailing slash. */
    public String base() {
        String base = configuredBase.filter(b -> !b.isBlank()).orElseGet(this::fromRequest);
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** An absolute URL of {@code path} (starting with '/') on this hub. */
    public String of(String path) {
        return base() + path;
    }

    private String fromRequest() {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
