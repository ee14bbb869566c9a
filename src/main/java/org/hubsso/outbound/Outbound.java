package org.hubsso.outbound;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one {@link OutboundHttp} of this server, with the operator's address policy ({@code hub.outbound.allow}:
 * {@code loopback}, {@code private}, {@code link-local}; public addresses only when unset).
 */
@ApplicationScoped
public class Outbound {

    private static final Logger LOG = Logger.getLogger(Outbound.class.getName());

    @Inject
    @ConfigProperty(name = "hub.outbound.allow")
    Optional<String> allow;

    private OutboundHttp http;

    @PostConstruct
    void start() {
        http = new OutboundHttp(AddressPolicy.of(allow.orElse("")), OutboundHttp.SYSTEM);
        allow.filter(a -> !a.isBlank()).ifPresent(a -> LOG.info("Calls to IdPs may also go to these addresses: " + a
                + " (hub.outbound.allow)"));
    }

    public OutboundHttp http() {
        return http;
    }

    @PreDestroy
    void stop() {
        try {
            http.close();
        } catch (IOException e) {
            LOG.fine(() -> "Closing the outbound HTTP client: " + e);
        }
    }
}
