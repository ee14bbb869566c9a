package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.hubsso.hub.Organization;

/** The results of admins' "Update and Test" round-trips, newest first. */
@ApplicationScoped
@Transactional
public class SsoTests {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    void add(SsoTestResult result) {
        em.persist(result);
    }

    /** The account's newest test in the organization, passed or not. */
    public Optional<SsoTestResult> last(Organization org, Long accountId) {
        return em.createQuery("select t from SsoTestResult t where t.orgId = :o and t.accountId = :a"
                + " order by t.createdAt desc, t.id desc", SsoTestResult.class)
                .setParameter("o", org.getId()).setParameter("a", accountId).setMaxResults(1).getResultList()
                .stream().findFirst();
    }

    /** The account's newest passed test in the organization, of any configuration. */
    public Optional<SsoTestResult> lastPassed(Organization org, Long accountId) {
        return em.createQuery("select t from SsoTestResult t where t.orgId = :o and t.accountId = :a"
                + " and t.passed = true order by t.createdAt desc, t.id desc", SsoTestResult.class)
                .setParameter("o", org.getId()).setParameter("a", accountId).setMaxResults(1).getResultList()
                .stream().findFirst();
    }

    /** The account's newest passed test of configuration {@code version}. */
    public Optional<SsoTestResult> lastPassed(Organization org, Long accountId, long version) {
        return em.createQuery("select t from SsoTestResult t where t.orgId = :o and t.accountId = :a"
                + " and t.configVersion = :v and t.passed = true order by t.createdAt desc, t.id desc",
                SsoTestResult.class).setParameter("o", org.getId()).setParameter("a", accountId)
                .setParameter("v", version).setMaxResults(1).getResultList().stream().findFirst();
    }
}
