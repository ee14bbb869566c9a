package org.hubsso.account;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.time.Duration;
import org.hubsso.hub.Throttle;

/** Forgets expired mail links, old throttle windows and long-unused known browsers. Every node may run it; the deletes are idempotent. */
@Singleton
public class AccountHousekeeping {

    @Inject
    EmailTokens tokens;

    @Inject
    Throttle throttle;

    @Inject
    KnownBrowsers browsers;

    @Schedule(hour = "*", minute = "*/15", persistent = false)
    public void purge() {
        tokens.purge();
        throttle.purge(Duration.ofDays(2));
        browsers.purge();
    }
}
