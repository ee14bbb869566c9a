package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hubsso.access.OrgSso;
import org.hubsso.access.SsoState;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;

/** What the access policy reads of an organization's SSO: enforcement, this sign-in's SSO session, role mapping. */
@ApplicationScoped
public class SsoGate implements OrgSso {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Enabled, and not suspended by the operator ({@link SsoOverride}). */
    @Override
    public boolean enforced(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return settings != null && settings.isEnforced();
    }

    /**
     * The SSO session of the organization made in this hub sign-in (one at most) is valid until the earlier of its
     * own expiry (set from the timeout at login) and its creation plus the organization's current timeout: when an
     * admin lowers the timeout, longer sessions end at once; raising it applies to new logins only.
     */
    @Override
    public SsoState session(Organization org, Long accountId, String signInId) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (signInId == null || accountId == null || settings == null) {
            return SsoState.ABSENT;
        }
        List<OrgSsoSession> sessions = em.createQuery("select s from OrgSsoSession s where s.signInId = :si"
                + " and s.orgId = :o and s.accountId = :a and s.revokedAt is null", OrgSsoSession.class)
                .setParameter("si", signInId).setParameter("o", org.getId()).setParameter("a", accountId)
                .getResultList();
        Instant now = clock.now();
        SsoState state = SsoState.ABSENT;
        if (!sessions.isEmpty()) {
            OrgSsoSession s = sessions.get(0);
            boolean valid = s.getExpiresAt().isAfter(now)
                    && s.getCreatedAt().plus(settings.getSessionTimeout()).isAfter(now);
            state = valid ? SsoState.VALID : SsoState.EXPIRED;
        }
        if (state != SsoState.VALID && inRecovery(org, accountId, signInId, now)) {
            return SsoState.RECOVERY;
        }
        return state;
    }

    /** Whether this hub sign-in holds a recovery session of the organization ({@link RecoveryCodes}). */
    private boolean inRecovery(Organization org, Long accountId, String signInId, Instant now) {
        return !em.createQuery("select r.id from RecoverySession r where r.signInId = :si and r.orgId = :o"
                + " and r.accountId = :a and r.expiresAt > :now", Long.class).setParameter("si", signInId)
                .setParameter("o", org.getId()).setParameter("a", accountId).setParameter("now", now)
                .setMaxResults(1).getResultList().isEmpty();
    }

    @Override
    public Optional<Instant> suspendedSince(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return Optional.ofNullable(settings == null || !settings.isEnabled() ? null : settings.getSuspendedAt());
    }

    @Override
    public boolean rolesFromIdp(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return settings != null && settings.isRoleMappingEnabled();
    }
}
