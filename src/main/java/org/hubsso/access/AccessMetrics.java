package org.hubsso.access;

import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import org.hubsso.hub.HubMeters;

/** Every decision of the access policy, counted by decision: {@code hub_access_decisions_total} on {@code /metrics}. */
@ApplicationScoped
public class AccessMetrics {

    static final String DECISIONS = "hub.access.decisions";

    @Inject
    HubMeters meters;

    /** One counter per decision, registered once and only read afterwards: this runs on every guarded call. */
    private final Map<Decision, Counter> counters = new EnumMap<>(Decision.class);

    @PostConstruct
    void register() {
        for (Decision d : Decision.values()) {
            counters.put(d, Counter.builder(DECISIONS).description(
                    "Access decisions in organizations' namespaces (allow, not-found, forbidden, sso-required)")
                    .tag("decision", d.code()).register(meters.registry()));
        }
    }

    /** Made at start, so {@code /metrics} lists these meters from the first scrape on. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // being called made the instance and registered the meters
    }

    public void decided(Decision decision) {
        counters.get(decision).increment();
    }

    /** Counts a not-found decision for a missing organization or repository and returns its exception. */
    public AccessDeniedException notFound(String orgName) {
        decided(Decision.NOT_FOUND);
        return new AccessDeniedException(Decision.NOT_FOUND, orgName);
    }
}
