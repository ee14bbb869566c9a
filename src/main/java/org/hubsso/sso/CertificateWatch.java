package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.SqlTimes;

/**
 * Warns before a trusted SAML signing certificate expires: 90, 30 and 7 days before, and once it has expired. Each
 * warning is given once per certificate and threshold (on one node of a cluster: the database row decides), as an
 * audit event, a metric and a mail to every admin of the organization; the settings pages show it as long as it
 * holds. A certificate first seen close to its expiry gets the most urgent warning only.
 */
@ApplicationScoped
public class CertificateWatch {

    private static final Logger LOG = Logger.getLogger(CertificateWatch.class.getName());

    /** Organizations read per page: memory stays small whatever their number. */
    static final int PAGE = 100;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    @Inject
    Organizations organizations;

    @Inject
    Audit audit;

    @Inject
    SsoMetrics metrics;

    @Inject
    OrgAdminMail adminMail;

    /** Checks every organization that trusts SAML certificates, a page at a time; returns the warnings given. */
    public int checkAll() {
        int warned = 0;
        long after = 0;
        while (true) {
            List<Long> page = page(after);
            for (Long orgId : page) {
                try {
                    warned += organizations.byId(orgId).map(this::check).orElse(0);
                } catch (RuntimeException e) {
                    // another node warned about the same certificate at this moment; the next run sees its row
                    LOG.fine(() -> "certificate check of organization " + orgId + " not done now: " + e);
                }
            }
            if (page.size() < PAGE) {
                return warned;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** Checks one organization's live certificates; returns the warnings given now. */
    @Transactional
    public int check(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (settings == null || settings.config().protocol() != SsoProtocol.SAML) {
            return 0;
        }
        Instant now = clock.now();
        int warned = 0;
        for (IdpCertificate cert : settings.config().saml().certificates()) {
            CertificateExpiry level = CertificateExpiry.of(cert.notAfter(), now);
            if (level == CertificateExpiry.FINE || !firstTime(org, cert, level, now)) {
                continue;
            }
            warned++;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("certificateSha256", cert.sha256Fingerprint());
            detail.put("subject", cert.subject());
            detail.put("notAfter", cert.notAfter().toString());
            detail.put("thresholdDays", level.days());
            audit.setting(org.getId(), null, AuditEvent.SSO_CERTIFICATE_EXPIRY, detail);
            metrics.certificateWarning(org, level.days());
            adminMail.send(org, level == CertificateExpiry.EXPIRED
                    ? "The IdP signing certificate of " + org.getName() + " has expired"
                    : "The IdP signing certificate of " + org.getName() + " expires in " + level.days() + " days",
                    "a signing certificate " + org.getName() + " trusts for single sign-on "
                            + (level == CertificateExpiry.EXPIRED ? "expired on " : "expires on ") + cert.notAfter()
                            + ":\n\n  " + cert.subject() + "\n  SHA-256 " + cert.sha256Fingerprint() + "\n\n"
                            + "Add your identity provider's next certificate on the single sign-on settings page"
                            + " (or give the hub the IdP's metadata URL, which keeps certificates up to date), so"
                            + " that sign-ins keep working when the IdP rolls over.");
        }
        return warned;
    }

    /**
     * Whether this is the first warning of this level for the certificate; less urgent levels not given yet are
     * marked as given, so that a certificate first seen 5 days before its expiry gets one warning, not three.
     */
    private boolean firstTime(Organization org, IdpCertificate cert, CertificateExpiry level, Instant now) {
        boolean first = false;
        for (CertificateExpiry threshold : CertificateExpiry.WARNINGS) {
            if (threshold.days() < level.days()) {
                continue;
            }
            boolean inserted = em.createNativeQuery("INSERT INTO sso_cert_warning (org_id, sha256, threshold_days,"
                    + " warned_at) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM sso_cert_warning WHERE"
                    + " org_id = ? AND sha256 = ? AND threshold_days = ?)").setParameter(1, org.getId())
                    .setParameter(2, cert.sha256Fingerprint()).setParameter(3, threshold.days())
                    .setParameter(4, SqlTimes.at(now)).setParameter(5, org.getId())
                    .setParameter(6, cert.sha256Fingerprint()).setParameter(7, threshold.days())
                    .executeUpdate() == 1;
            if (threshold == level) {
                first = inserted;
            }
        }
        return first;
    }

    private List<Long> page(long after) {
        return em.createQuery("select s.orgId from OrgSsoSettings s where s.orgId > :after and s.protocol = :p"
                + " order by s.orgId", Long.class).setParameter("after", after)
                .setParameter("p", SsoProtocol.SAML).setMaxResults(PAGE).getResultList();
    }
}
