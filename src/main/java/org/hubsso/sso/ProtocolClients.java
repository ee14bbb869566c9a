package org.hubsso.sso;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hubsso.hub.Organization;

/**
 * A protocol adapter's clients, one per organization and configuration version: the live configuration's and a
 * draft's under test beside it. Each organization keeps its two newest versions, so members on the live
 * configuration and an admin testing a draft do not rebuild each other's client; a new version (on any node: the
 * version is read from the database) gets a new one, so nothing needs a restart. A build that fails caches nothing.
 *
 * @param <C> the client type
 */
public final class ProtocolClients<C> {

    private static final int VERSIONS_KEPT = 2;

    private record Cached<C>(long version, String url, C client) {
    }

    private final ConcurrentHashMap<Long, List<Cached<C>>> clients = new ConcurrentHashMap<>();

    /** The organization's client of this configuration version and endpoint URL, built when missing. */
    public C get(Organization org, IdpConfig config, String url, Supplier<C> build) {
        List<Cached<C>> kept = clients.getOrDefault(org.getId(), List.of());
        for (Cached<C> c : kept) {
            if (c.version() == config.version() && c.url().equals(url)) {
                return c.client();
            }
        }
        Cached<C> made = new Cached<>(config.version(), url, build.get());
        clients.compute(org.getId(), (id, old) -> {
            List<Cached<C>> next = old == null ? new ArrayList<>() : new ArrayList<>(old);
            next.removeIf(c -> c.version() == made.version());
            next.add(made);
            next.sort(Comparator.comparingLong((Cached<C> c) -> c.version()).reversed());
            return List.copyOf(next.subList(0, Math.min(VERSIONS_KEPT, next.size())));
        });
        return made.client();
    }
}
