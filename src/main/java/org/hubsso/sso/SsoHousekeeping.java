package org.hubsso.sso;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.SignIns;

/**
 * Forgets what can no longer matter: expired replay-cache entries and pending sign-ins older than a day. Every
 * cluster node may run it; the deletes are idempotent.
 */
@Singleton
public class SsoHousekeeping {

    private static final Logger LOG = Logger.getLogger(SsoHousekeeping.class.getName());

    @Inject
    PendingRequests pendings;

    @Inject
    ReplayCache replay;

    @Inject
    HubClock clock;

    @Inject
    SignIns signIns;

    @Schedule(hour = "*", minute = "*/15", persistent = false)
    public void purge() {
        int replays = replay.purge();
        int signIns = this.signIns.purge();
        int pending = pendings.purge(clock.now().minus(Duration.ofDays(1)));
        if (replays + pending + signIns > 0) {
            LOG.fine(() -> "Purged " + replays + " replay-cache entries, " + pending + " old pending SSO sign-ins and "
                    + signIns + " ended hub sign-ins");
        }
    }
}
