package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Hub sign-ins, in the database. An HTTP session carries only its sign-in's id; a sign-in is valid while its row
 * is open and younger than {@link #MAX_AGE}. Sign-out closes the row, which every cluster node sees at the next
 * request: Payara replicates sessions for failover, and a node that has served a session keeps its own copy.
 */
@ApplicationScoped
public class SignIns {

    /** The longest a sign-in lasts, however active its session. */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    @Inject
    Event<SignInEnded> ended;

    /** Opens a sign-in of the account and returns its id. */
    @Transactional
    public String open(Long accountId) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        em.createNativeQuery("INSERT INTO hub_sign_in (id, account_id, created_at) VALUES (?, ?, ?)")
                .setParameter(1, id).setParameter(2, accountId).setParameter(3, at(clock.now()))
                .executeUpdate();
        return id;
    }

    /** Whether the sign-in is open: not signed out, not older than {@link #MAX_AGE}. */
    @Transactional
    public boolean isOpen(String id, Long accountId) {
        if (id == null || accountId == null) {
            return false;
        }
        Number open = (Number) em.createNativeQuery("SELECT COUNT(*) FROM hub_sign_in WHERE id = ? AND account_id = ?"
                + " AND ended_at IS NULL AND created_at > ?").setParameter(1, id).setParameter(2, accountId)
                .setParameter(3, at(clock.now().minus(MAX_AGE))).getSingleResult();
        return open.intValue() == 1;
    }

    /** Ends the sign-in on every node; {@link SignInEnded} tells what belongs to it. */
    @Transactional
    public void close(String id) {
        if (id != null) {
            int closed = em.createNativeQuery("UPDATE hub_sign_in SET ended_at = ? WHERE id = ? AND ended_at IS NULL")
                    .setParameter(1, at(clock.now())).setParameter(2, id).executeUpdate();
            if (closed == 1) {
                ended.fire(new SignInEnded(id));
            }
        }
    }

    /**
     * Ends every open sign-in of the account but {@code keep} (none kept when {@code null}), on every node; returns
     * how many. A new password ends the sign-ins made with the old one.
     */
    @Transactional
    public int closeAll(Long accountId, String keep) {
        @SuppressWarnings("unchecked")
        java.util.List<String> open = em.createNativeQuery("SELECT id FROM hub_sign_in WHERE account_id = ?"
                + " AND ended_at IS NULL").setParameter(1, accountId).getResultList();
        int closed = 0;
        for (String id : open) {
            if (!id.equals(keep)) {
                close(id);
                closed++;
            }
        }
        return closed;
    }

    /** Deletes sign-ins that can no longer be open. */
    @Transactional
    public int purge() {
        OffsetDateTime cutoff = at(clock.now().minus(MAX_AGE));
        return em.createNativeQuery("DELETE FROM hub_sign_in WHERE created_at < ? OR ended_at < ?")
                .setParameter(1, cutoff).setParameter(2, at(clock.now().minus(Duration.ofDays(1))))
                .executeUpdate();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
