package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** The one source of "now" for expiry decisions; tests move it instead of sleeping. */
@ApplicationScoped
public class HubClock {

    private volatile Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant();
    }

    public void use(Clock clock) {
        this.clock = clock;
    }

    /** A {@link Clock} that always reads this hub clock (for libraries that take a Clock). */
    public Clock asClock() {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }
}
