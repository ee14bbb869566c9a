package org.hubsso.sso;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;

/**
 * Forgets what can no longer matter: expired replay-cache entries and pending sign-ins older than a day. Every
 * cluster node may run it; the deletes are idempotent.
 */
@Singleton
public class SsoHousekeeping {

    private static final Logger LOG = Logger.getLogger(SsoHousekeeping.class.getName());

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    ReplayCache replay;

    @Inject
    HubClock clock;

    @Schedule(hour = "*", minute = "*/15", persistent = false)
    public void purge() {
        int replays = replay.purge();
        int pending = em.createQuery("delete from PendingRequest p where p.expiresAt < :cutoff")
                .setParameter("cutoff", clock.now().minus(Duration.ofDays(1))).executeUpdate();
        if (replays + pending > 0) {
            LOG.fine(() -> "Purged " + replays + " replay-cache entries and " + pending + " old pending sign-ins");
        }
    }
}
