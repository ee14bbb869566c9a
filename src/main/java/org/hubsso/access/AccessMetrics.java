package org.hubsso.access;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** Every decision of the access policy, counted by decision in the application scope of {@code /metrics}. */
@ApplicationScoped
public class AccessMetrics {

    static final Metadata DECISIONS = Metadata.builder().withName("hub.access.decisions")
            .withDescription("Access decisions in organizations' namespaces (allow, not-found, forbidden, sso-required)")
            .build();

    @Inject
    MetricRegistry registry;

    /** One counter per decision, registered once and only read afterwards: this runs on every guarded call. */
    private final Map<Decision, Counter> counters = new EnumMap<>(Decision.class);

    @PostConstruct
    void register() {
        for (Decision d : Decision.values()) {
            counters.put(d, registry.counter(DECISIONS, new Tag("decision", d.code())));
        }
    }

    public void decided(Decision decision) {
        counters.get(decision).inc();
    }

    /** Counts a not-found decision for a missing organization or repository and returns its exception. */
    public AccessDeniedException notFound(String orgName) {
        decided(Decision.NOT_FOUND);
        return new AccessDeniedException(Decision.NOT_FOUND, orgName);
    }
}
