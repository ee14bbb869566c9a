package org.hubsso.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.sso.OrgSsoSession;
import org.hubsso.sso.OrgSsoSettings;

/** Loads the {@link OrgContext} of a viewer: organization, membership, SSO enforcement and SSO session state. */
@ApplicationScoped
public class OrgContexts {

    /** The context the access interceptor decided on, for the guarded call in progress on this thread. */
    private static final ThreadLocal<OrgContext> GUARDED = new ThreadLocal<>();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    public Optional<Organization> findOrg(String name) {
        if (name == null || name.isEmpty() || name.length() > 40) {
            return Optional.empty();
        }
        List<Organization> found = em.createQuery("select o from Organization o where o.nameKey = :k",
                Organization.class).setParameter("k", name.toLowerCase(Locale.ROOT)).getResultList();
        return found.stream().findFirst();
    }

    /**
     * @param accountId the viewer's account, or {@code null}
     * @param signInId the viewer's hub sign-in: only an SSO session made in this sign-in counts
     */
    public OrgContext of(Organization org, Long accountId, String signInId) {
        Role role = null;
        if (accountId != null) {
            List<Role> roles = em.createQuery(
                    "select m.role from Membership m where m.organization.id = :o and m.account.id = :a", Role.class)
                    .setParameter("o", org.getId()).setParameter("a", accountId).getResultList();
            role = roles.isEmpty() ? null : roles.get(0);
        }
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        boolean enforced = settings != null && settings.isEnabled();
        SsoState state = SsoState.ABSENT;
        if (role != null && enforced) {
            state = ssoState(org.getId(), accountId, signInId, clock.now(), settings.getSessionTimeout());
        }
        return new OrgContext(org, role, enforced, state);
    }

    /**
     * The context {@link OrgAccessInterceptor} loaded and decided on for the {@code @OrgAccess} call in progress,
     * so the guarded method reads the organization once per call, not twice.
     */
    public OrgContext guarded(String orgName) {
        OrgContext ctx = GUARDED.get();
        if (ctx == null || orgName == null || !ctx.org().getName().equalsIgnoreCase(orgName)) {
            throw new IllegalStateException("not inside an @OrgAccess call for organization " + orgName);
        }
        return ctx;
    }

    /** Runs a guarded call with its context available through {@link #guarded(String)}. */
    Object within(OrgContext ctx, java.util.concurrent.Callable<Object> call) throws Exception {
        OrgContext outer = GUARDED.get();
        GUARDED.set(ctx);
        try {
            return call.call();
        } finally {
            if (outer == null) {
                GUARDED.remove();
            } else {
                GUARDED.set(outer);
            }
        }
    }

    /**
     * The state of the SSO session of the organization made in this hub sign-in (one at most). It is valid until the
     * earlier of its own expiry (set from the timeout at login) and its creation plus the organization's current
     * timeout: when an admin lowers the timeout, longer sessions end at once; raising it applies to new logins only.
     * A session made in another sign-in of the same account (another browser) does not count here.
     */
    SsoState ssoState(Long orgId, Long accountId, String signInId, Instant now, java.time.Duration currentTimeout) {
        if (signInId == null) {
            return SsoState.ABSENT;
        }
        List<OrgSsoSession> sessions = em.createQuery("select s from OrgSsoSession s where s.signInId = :si"
                + " and s.orgId = :o and s.accountId = :a and s.revokedAt is null", OrgSsoSession.class)
                .setParameter("si", signInId).setParameter("o", orgId).setParameter("a", accountId)
                .getResultList();
        if (sessions.isEmpty()) {
            return SsoState.ABSENT;
        }
        OrgSsoSession s = sessions.get(0);
        boolean valid = s.getExpiresAt().isAfter(now) && s.getCreatedAt().plus(currentTimeout).isAfter(now);
        return valid ? SsoState.VALID : SsoState.EXPIRED;
    }
}
