package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
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

    @Override
    public boolean enforced(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return settings != null && settings.isEnabled();
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
        if (sessions.isEmpty()) {
            return SsoState.ABSENT;
        }
        OrgSsoSession s = sessions.get(0);
        Instant now = clock.now();
        boolean valid = s.getExpiresAt().isAfter(now)
                && s.getCreatedAt().plus(settings.getSessionTimeout()).isAfter(now);
        return valid ? SsoState.VALID : SsoState.EXPIRED;
    }

    @Override
    public boolean rolesFromIdp(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return settings != null && settings.isRoleMappingEnabled();
    }
}
