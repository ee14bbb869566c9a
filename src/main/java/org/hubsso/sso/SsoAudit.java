package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import org.hubsso.hub.HubClock;

/**
 * The SSO audit trail of each organization. Details are small JSON objects; callers never pass secrets, raw
 * assertions or tokens. Failures are written in their own transaction, so they are kept even when the
 * request that failed changes nothing else.
 */
@ApplicationScoped
public class SsoAudit {

    public static final int MAX_DETAIL = 8000;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Records within the caller's transaction. */
    @Transactional
    public void record(Long orgId, Long actorId, String event, String outcome, String reason,
            Map<String, ?> detail) {
        em.persist(new SsoAuditEntry(orgId, clock.now(), actorId, event, outcome, reason, json(detail)));
    }

    /** Records in a transaction of its own, whatever happens to the caller's. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(Long orgId, Long actorId, String event, String outcome, String reason,
            Map<String, ?> detail) {
        record(orgId, actorId, event, outcome, reason, detail);
    }

    @Transactional
    public List<SsoAuditEntry> recent(Long orgId, int max) {
        return em.createQuery("select e from SsoAuditEntry e where e.orgId = :o order by e.createdAt desc, e.id desc",
                SsoAuditEntry.class).setParameter("o", orgId).setMaxResults(max).getResultList();
    }

    static String json(Map<String, ?> detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        JsonObjectBuilder b = Json.createObjectBuilder();
        detail.forEach((k, v) -> {
            if (v == null) {
                b.addNull(k);
            } else if (v instanceof Number n) {
                b.add(k, n.longValue());
            } else if (v instanceof Boolean bool) {
                b.add(k, bool);
            } else {
                b.add(k, v.toString());
            }
        });
        String text = b.build().toString();
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL);
    }
}
