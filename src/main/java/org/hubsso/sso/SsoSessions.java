package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.SignInEnded;
import org.hubsso.hub.ValidationException;

/**
 * The end of organization SSO sessions: revoked by the organization's admins (one member's, or everyone's), or ended
 * with the hub sign-in they were made in. An ended session stops working at the next access on every node (the
 * access policy reads the database at each access).
 */
@ApplicationScoped
@Transactional
public class SsoSessions {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    OrgContexts contexts;

    @Inject
    Viewer viewer;

    @Inject
    Memberships memberships;

    @Inject
    Audit audit;

    @Inject
    HubClock clock;

    /**
     * Opens the member's SSO session of the organization in the hub sign-in where the IdP was passed. One per hub
     * sign-in and organization: another browser of the same member must pass the IdP itself, and a new SSO login in
     * the same sign-in replaces it (the audit trail keeps every login), so the access check reads exactly one row.
     */
    OrgSsoSession open(Organization org, Long accountId, String signInId, IdpIdentity identity, Instant now,
            Instant expiresAt) {
        em.createQuery("delete from OrgSsoSession s where s.orgId = :o and s.signInId = :si")
                .setParameter("o", org.getId()).setParameter("si", signInId).executeUpdate();
        OrgSsoSession session = new OrgSsoSession(org.getId(), accountId, signInId, now, expiresAt);
        session.describe(identity.issuer(), identity.subject(), identity.attributesJson());
        em.persist(session);
        return session;
    }

    /** The IdP profile of the account's newest SSO login to the organization, or {@code null}. */
    String lastProfile(Organization org, Long accountId) {
        return em.createQuery("select s.attributesJson from OrgSsoSession s where s.orgId = :o and s.accountId = :a"
                + " order by s.createdAt desc", String.class).setParameter("o", org.getId())
                .setParameter("a", accountId).setMaxResults(1).getResultList().stream().findFirst().orElse(null);
    }

    /** Revokes the SSO sessions of one member; returns how many were active. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public int revokeMember(@OrgName String orgName, Long membershipId) {
        Organization org = contexts.guarded(orgName).org();
        Membership m = memberships.inOrg(org, membershipId)
                .orElseThrow(() -> new ValidationException("members", "No such member."));
        Long accountId = m.getAccount().getId();
        int n = em.createQuery("update OrgSsoSession s set s.revokedAt = :now where s.orgId = :o and s.accountId = :a"
                + " and s.revokedAt is null").setParameter("now", clock.now()).setParameter("o", org.getId())
                .setParameter("a", accountId).executeUpdate();
        audit.memberChange(org.getId(), viewer.getAccountId(), accountId, AuditEvent.SSO_SESSION_REVOKE,
                Map.of("scope", "member", "sessions", n));
        return n;
    }

    /** Revokes every SSO session of the organization, the acting admin's included. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public int revokeAll(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        Instant now = clock.now();
        int n = em.createQuery("update OrgSsoSession s set s.revokedAt = :now where s.orgId = :o"
                + " and s.revokedAt is null").setParameter("now", now).setParameter("o", org.getId()).executeUpdate();
        audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SESSION_REVOKE,
                Map.of("scope", "all", "sessions", n));
        return n;
    }

    /** Signing out ends the SSO sessions made in that sign-in, in every organization. */
    void signInEnded(@Observes SignInEnded ended) {
        em.createQuery("update OrgSsoSession s set s.revokedAt = :now where s.signInId = :si and s.revokedAt is null")
                .setParameter("now", clock.now()).setParameter("si", ended.signInId()).executeUpdate();
    }
}
