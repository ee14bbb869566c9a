package org.hubsso.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.SqlTimes;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SsoConfigs;
import org.hubsso.sso.SsoSettingsService;

/**
 * What {@link SamlMetadataRefresh} keeps in the database, each step a transaction of its own: the refresh state of
 * each organization (when it is due, which node holds it, how the last attempt went), the certificates its metadata
 * listed and when, and the change a successful refresh makes to the live configuration.
 */
@ApplicationScoped
public class SamlMetadataStore {

    private static final Logger LOG = Logger.getLogger(SamlMetadataStore.class.getName());

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    @Inject
    SsoConfigs configs;

    @Inject
    SsoSettingsService settings;

    /**
     * The trusted certificates after a refresh: those the metadata lists, those it never listed (added by an admin),
     * and those it listed until less than {@code grace} ago. Changes the live configuration when that differs,
     * unless an admin changed it while the metadata was fetched.
     *
     * @return whether the live configuration changed
     */
    @Transactional
    public boolean apply(Organization org, long fetchedFor, IdpMetadata metadata, String signOnUrl, boolean signed,
            String trigger, Duration grace, Duration interval) {
        IdpConfig live = configs.settingsOf(org).config();
        if (live.version() != fetchedFor) {
            succeeded(org, interval);
            return false; // changed while the metadata was fetched: the next refresh starts from the new one
        }
        Instant now = clock.now();
        List<IdpCertificate> listed = metadata.certificates();
        Map<String, Instant> lastSeen = lastSeen(org);
        for (IdpCertificate cert : listed) {
            seen(org, cert.sha256Fingerprint(), lastSeen.containsKey(cert.sha256Fingerprint()), now);
        }
        List<String> listedPrints = listed.stream().map(IdpCertificate::sha256Fingerprint).toList();
        Instant cutoff = now.minus(grace);
        Map<String, IdpCertificate> trusted = new LinkedHashMap<>();
        listed.forEach(c -> trusted.put(c.sha256Fingerprint(), c));
        for (IdpCertificate cert : live.saml().certificates()) {
            String print = cert.sha256Fingerprint();
            Instant seen = lastSeen.get(print);
            boolean keep = listedPrints.contains(print) || seen == null || !seen.isBefore(cutoff);
            if (keep && trusted.size() < IdpCertificate.MAX_TRUSTED) {
                trusted.putIfAbsent(print, cert);
            }
        }
        IdpConfig candidate = live.withSaml(live.saml().with(signOnUrl, new ArrayList<>(trusted.values())),
                live.clockSkew());
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("source", "metadata");
        why.put("trigger", trigger);
        why.put("signedMetadata", signed);
        IdpConfig after = settings.changeLive(org, null, candidate, why);
        succeeded(org, interval);
        return after.version() != live.version();
    }

    /** The refresh state row, made once: the first refresh is one interval after the metadata was just read. */
    @Transactional
    public void ensureState(Organization org, Duration interval) {
        if (em.createNativeQuery("SELECT 1 FROM saml_metadata_state WHERE org_id = ?").setParameter(1, org.getId())
                .getResultList().isEmpty()) {
            try {
                em.createNativeQuery("INSERT INTO saml_metadata_state (org_id, next_refresh_at) VALUES (?, ?)")
                        .setParameter(1, org.getId()).setParameter(2, SqlTimes.at(clock.now().plus(interval)))
                        .executeUpdate();
            } catch (PersistenceException concurrent) {
                LOG.fine("metadata state of organization " + org.getId() + " created by another request");
            }
        }
    }

    @Transactional
    public void attempted(Organization org) {
        em.createNativeQuery("UPDATE saml_metadata_state SET last_attempt_at = ? WHERE org_id = ?")
                .setParameter(1, SqlTimes.at(clock.now())).setParameter(2, org.getId()).executeUpdate();
    }

    /** Takes the right to try now, when nobody tried in the last {@code gap}: one request of the cluster wins. */
    @Transactional
    public boolean claimAttempt(Organization org, Duration gap) {
        Instant now = clock.now();
        return em.createNativeQuery("UPDATE saml_metadata_state SET last_attempt_at = ? WHERE org_id = ?"
                + " AND (last_attempt_at IS NULL OR last_attempt_at < ?)").setParameter(1, SqlTimes.at(now))
                .setParameter(2, org.getId()).setParameter(3, SqlTimes.at(now.minus(gap))).executeUpdate() == 1;
    }

    @Transactional
    public void succeeded(Organization org, Duration interval) {
        Instant now = clock.now();
        em.createNativeQuery("UPDATE saml_metadata_state SET last_success_at = ?, last_error = NULL,"
                + " next_refresh_at = ?, claimed_until = NULL WHERE org_id = ?").setParameter(1, SqlTimes.at(now))
                .setParameter(2, SqlTimes.at(now.plus(interval))).setParameter(3, org.getId()).executeUpdate();
    }

    @Transactional
    public void failed(Organization org, String error, Duration retry) {
        em.createNativeQuery("UPDATE saml_metadata_state SET last_error = ?, next_refresh_at = ?,"
                + " claimed_until = NULL WHERE org_id = ?")
                .setParameter(1, error.length() > 1000 ? error.substring(0, 999) + "…" : error)
                .setParameter(2, SqlTimes.at(clock.now().plus(retry))).setParameter(3, org.getId()).executeUpdate();
    }

    /** Organizations whose scheduled refresh is due and not held by a node. */
    @Transactional
    public List<Long> due() {
        OffsetDateTime now = SqlTimes.at(clock.now());
        List<Long> ids = new ArrayList<>();
        for (Object id : em.createNativeQuery("SELECT org_id FROM saml_metadata_state WHERE next_refresh_at <= ?"
                + " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_refresh_at")
                .setParameter(1, now).setParameter(2, now).setMaxResults(20).getResultList()) {
            ids.add(((Number) id).longValue());
        }
        return ids;
    }

    /** Takes a due refresh for this node, for {@code hold}: one node of the cluster wins it. */
    @Transactional
    public boolean claim(Long orgId, Duration hold) {
        Instant now = clock.now();
        return em.createNativeQuery("UPDATE saml_metadata_state SET claimed_until = ? WHERE org_id = ?"
                + " AND next_refresh_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)")
                .setParameter(1, SqlTimes.at(now.plus(hold))).setParameter(2, orgId)
                .setParameter(3, SqlTimes.at(now)).setParameter(4, SqlTimes.at(now)).executeUpdate() == 1;
    }

    /** How the refreshes of the organization went, or {@code null} when it has no metadata URL yet. */
    @Transactional
    public SamlMetadataRefresh.Status status(Organization org) {
        List<?> rows = em.createNativeQuery("SELECT last_success_at, last_attempt_at, last_error, next_refresh_at"
                + " FROM saml_metadata_state WHERE org_id = ?").setParameter(1, org.getId()).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new SamlMetadataRefresh.Status(SqlTimes.instant(r[0]), SqlTimes.instant(r[1]), (String) r[2],
                SqlTimes.instant(r[3]));
    }

    private Map<String, Instant> lastSeen(Organization org) {
        Map<String, Instant> seen = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT sha256, last_seen_at FROM saml_metadata_cert WHERE org_id = ?")
                .setParameter(1, org.getId()).getResultList()) {
            Object[] r = (Object[]) row;
            seen.put((String) r[0], SqlTimes.instant(r[1]));
        }
        return seen;
    }

    private void seen(Organization org, String sha256, boolean known, Instant now) {
        if (known) {
            em.createNativeQuery("UPDATE saml_metadata_cert SET last_seen_at = ? WHERE org_id = ? AND sha256 = ?")
                    .setParameter(1, SqlTimes.at(now)).setParameter(2, org.getId()).setParameter(3, sha256)
                    .executeUpdate();
        } else {
            em.createNativeQuery("INSERT INTO saml_metadata_cert (org_id, sha256, first_seen_at, last_seen_at)"
                    + " VALUES (?, ?, ?, ?)").setParameter(1, org.getId()).setParameter(2, sha256)
                    .setParameter(3, SqlTimes.at(now)).setParameter(4, SqlTimes.at(now)).executeUpdate();
        }
    }
}
