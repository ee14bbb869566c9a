package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.hubsso.hub.HubClock;

/**
 * Assertion ids already used, per organization, in a table whose primary key makes "first use" atomic on every
 * cluster node at once. Entries are kept until the assertion could no longer be valid anyway.
 */
@ApplicationScoped
public class ReplayCache {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /**
     * @return {@code true} the first time an assertion id is offered for an organization, {@code false} after
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean firstUse(Long orgId, String assertionId, Instant keepUntil) {
        try {
            em.createNativeQuery("INSERT INTO sso_replay (org_id, assertion_id, expires_at) VALUES (?, ?, ?)")
                    .setParameter(1, orgId).setParameter(2, assertionId)
                    .setParameter(3, keepUntil.atOffset(ZoneOffset.UTC)).executeUpdate();
            return true;
        } catch (PersistenceException duplicate) {
            return false;
        }
    }

    /** Forgets entries that have expired; returns how many. */
    @Transactional
    public int purge() {
        OffsetDateTime now = clock.now().atOffset(ZoneOffset.UTC);
        return em.createNativeQuery("DELETE FROM sso_replay WHERE expires_at < ?").setParameter(1, now)
                .executeUpdate();
    }
}
