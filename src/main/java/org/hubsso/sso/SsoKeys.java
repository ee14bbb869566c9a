package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.SqlTimes;
import org.hubsso.hub.Organization;

/**
 * When each IdP key of an organization last verified an answer (a SAML certificate by its SHA-256 fingerprint, an
 * OIDC key by its kid), so that admins see which keys are in use before they remove one. Written at most once a
 * minute per key, in a transaction of its own: a statistic never holds a sign-in up.
 */
@ApplicationScoped
public class SsoKeys {

    private static final Logger LOG = Logger.getLogger(SsoKeys.class.getName());
    private static final Duration RESOLUTION = Duration.ofMinutes(1);

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Notes that {@code keyId} verified an answer now. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void used(Long orgId, String keyId) {
        if (keyId == null) {
            return;
        }
        OffsetDateTime now = SqlTimes.at(clock.now());
        try {
            List<?> last = em.createNativeQuery("SELECT last_used_at FROM sso_key_use WHERE org_id = ? AND key_id = ?")
                    .setParameter(1, orgId).setParameter(2, keyId).getResultList();
            if (last.isEmpty()) {
                em.createNativeQuery("INSERT INTO sso_key_use (org_id, key_id, last_used_at) VALUES (?, ?, ?)")
                        .setParameter(1, orgId).setParameter(2, keyId).setParameter(3, now).executeUpdate();
            } else if (SqlTimes.instant(last.get(0)).isBefore(now.toInstant().minus(RESOLUTION))) {
                em.createNativeQuery("UPDATE sso_key_use SET last_used_at = ? WHERE org_id = ? AND key_id = ?")
                        .setParameter(1, now).setParameter(2, orgId).setParameter(3, keyId).executeUpdate();
            }
        } catch (PersistenceException concurrent) {
            LOG.fine(() -> "key use of organization " + orgId + " written by another request at once");
        }
    }

    /** When each of the organization's keys last verified an answer. */
    @Transactional
    public Map<String, Instant> lastUses(Organization org) {
        Map<String, Instant> uses = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT key_id, last_used_at FROM sso_key_use WHERE org_id = ?")
                .setParameter(1, org.getId()).getResultList()) {
            Object[] r = (Object[]) row;
            uses.put((String) r[0], SqlTimes.instant(r[1]));
        }
        return uses;
    }

    /** The key that verified the organization's newest accepted answer, or {@code null}. */
    @Transactional
    public String lastUsed(Organization org) {
        List<?> rows = em.createNativeQuery("SELECT key_id FROM sso_key_use WHERE org_id = ?"
                + " ORDER BY last_used_at DESC").setParameter(1, org.getId()).setMaxResults(1).getResultList();
        return rows.isEmpty() ? null : (String) rows.get(0);
    }
}
