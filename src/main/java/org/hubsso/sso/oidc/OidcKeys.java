package org.hubsso.sso.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import org.hubsso.hub.HubClock;
import org.hubsso.outbound.Outbound;

/**
 * The JWKS of every organization's OpenID provider on this node, one per organization and JWKS URL, shared by the
 * organization's clients of every configuration version: the refetch limit holds per organization, however often
 * its client is rebuilt.
 */
@ApplicationScoped
public class OidcKeys {

    private record Key(Long orgId, URI uri) {
    }

    private final ConcurrentHashMap<Key, JwksKeys> keys = new ConcurrentHashMap<>();

    @Inject
    Outbound outbound;

    @Inject
    HubClock clock;

    JwksKeys of(Long orgId, URI jwksUri) {
        keys.keySet().removeIf(k -> k.orgId().equals(orgId) && !k.uri().equals(jwksUri));
        return keys.computeIfAbsent(new Key(orgId, jwksUri), k -> new JwksKeys(jwksUri, outbound.http(),
                clock.asClock()));
    }

    public Outbound outbound() {
        return outbound;
    }
}
