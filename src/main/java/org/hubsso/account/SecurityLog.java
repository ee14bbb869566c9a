package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import org.hubsso.hub.HubClock;

/**
 * Each account's own security log, shown on its settings page: emails verified, added and removed, claims dropped
 * because another account verified the address, password resets and changes and the sign-ins they ended. Never a
 * password, token or link.
 */
@ApplicationScoped
@Transactional
public class SecurityLog {

    public static final int SHOWN = 20;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    public void record(Long accountId, String event, String detail) {
        em.persist(new SecurityEvent(accountId, clock.now(), event, detail));
    }

    /** The account's newest entries, newest first. */
    public List<SecurityEvent> recent(Long accountId, int max) {
        return em.createQuery("select e from SecurityEvent e where e.accountId = :a order by e.createdAt desc,"
                + " e.id desc", SecurityEvent.class).setParameter("a", accountId).setMaxResults(max).getResultList();
    }
}
