package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Attempt counters shared by every cluster node (a database row per key and fixed window): password reset requests
 * per address and per client, verification mails resent per address. Each count is committed at once in a
 * transaction of its own, so a refused attempt counts too and other nodes see it at their next attempt.
 */
@ApplicationScoped
public class Throttle {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /**
     * Counts one attempt for {@code key} in the current window of length {@code window}.
     *
     * @return whether this attempt is within {@code max} attempts of the window
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean attempt(String key, int max, Duration window) {
        return countOne(key, window) <= max;
    }

    /**
     * Counts one attempt for {@code key} in the current window of length {@code window}.
     *
     * @return the attempts of the window, this one included
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int count(String key, Duration window) {
        return countOne(key, window);
    }

    /** The attempts counted for {@code key} in its current window of length {@code window}; counts nothing. */
    public int attempts(String key, Duration window) {
        List<?> attempts = em.createNativeQuery("SELECT attempts FROM throttle WHERE throttle_key = ?"
                + " AND window_start > ?").setParameter(1, key).setParameter(2, at(clock.now().minus(window)))
                .getResultList();
        return attempts.isEmpty() ? 0 : ((Number) attempts.get(0)).intValue();
    }

    /** When the current window of {@code key} ends (now when it has none). */
    public Instant windowEnd(String key, Duration window) {
        List<?> start = em.createNativeQuery("SELECT window_start FROM throttle WHERE throttle_key = ?")
                .setParameter(1, key).getResultList();
        Instant now = clock.now();
        if (start.isEmpty()) {
            return now;
        }
        Instant end = SqlTimes.instant(start.get(0)).plus(window);
        return end.isAfter(now) ? end : now;
    }

    private int countOne(String key, Duration window) {
        Instant now = clock.now();
        int counted = em.createNativeQuery("UPDATE throttle SET attempts = attempts + 1 WHERE throttle_key = ?"
                + " AND window_start > ?").setParameter(1, key).setParameter(2, at(now.minus(window)))
                .executeUpdate();
        if (counted == 0) {
            em.createNativeQuery("DELETE FROM throttle WHERE throttle_key = ?").setParameter(1, key).executeUpdate();
            try {
                em.createNativeQuery("INSERT INTO throttle (throttle_key, window_start, attempts) VALUES (?, ?, 1)")
                        .setParameter(1, key).setParameter(2, at(now)).executeUpdate();
            } catch (PersistenceException raced) {
                return 1; // another node opened the window at the same moment; this attempt is its first
            }
            return 1;
        }
        List<?> attempts = em.createNativeQuery("SELECT attempts FROM throttle WHERE throttle_key = ?")
                .setParameter(1, key).getResultList();
        return attempts.isEmpty() ? 1 : ((Number) attempts.get(0)).intValue();
    }

    /** Forgets windows older than {@code age}. */
    @Transactional
    public int purge(Duration age) {
        return em.createNativeQuery("DELETE FROM throttle WHERE window_start < ?")
                .setParameter(1, at(clock.now().minus(age))).executeUpdate();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
