package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContext;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.SsoAudit;

/** Organizations, their settings and their members. Every method touching one organization is guarded. */
@ApplicationScoped
@Transactional
public class OrganizationService {

    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    Viewer viewer;

    @Inject
    OrgContexts contexts;

    @Inject
    AccountService accounts;

    @Inject
    Repos repos;

    @Inject
    HubClock clock;

    @Inject
    SsoAudit audit;

    /** Creates an organization; the signed-in creator becomes its first admin. */
    public Organization create(String name, String displayName) {
        Account creator = accounts.find(viewer.getAccountId())
                .orElseThrow(() -> new AccessDeniedException(Decision.FORBIDDEN, name));
        String orgName = Names.requireNamespace("name", name);
        String display = Names.requireDisplayName("displayName", displayName, orgName);
        if (contexts.findOrg(orgName).isPresent() || accounts.findByUsername(orgName).isPresent()) {
            throw new ValidationException("name", "This name is taken.");
        }
        Organization org = new Organization(orgName, newOrgUid(), display, Role.READ, clock.now());
        em.persist(org);
        em.persist(new Membership(org, creator, Role.ADMIN, clock.now()));
        em.persist(new OrgSsoSettings(org.getId(), clock.now()));
        return org;
    }

    /** The organization page: public repositories for everyone, all of them for members. */
    @OrgAccess(scope = Scope.ORG)
    public OrgPage page(@OrgName String orgName) {
        OrgContext ctx = context(orgName);
        List<Repo> visible = repos.of(ctx.org()).stream()
                .filter(r -> ctx.decide(r.getVisibility(), Role.READ) == Decision.ALLOW).toList();
        return new OrgPage(ctx.org(), ctx.memberRole(), visible, ctx.ssoEnforced());
    }

    /** The organization as its settings pages show it. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Organization settings(@OrgName String orgName) {
        return context(orgName).org();
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Organization updateGeneral(@OrgName String orgName, String displayName) {
        Organization org = context(orgName).org();
        org.setDisplayName(Names.requireDisplayName("displayName", displayName, org.getName()));
        return org;
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<Membership> members(@OrgName String orgName) {
        // No alias on the fetch join: JPQL does not allow one (EclipseLink accepts it, Hibernate refuses it).
        return em.createQuery("select m from Membership m join fetch m.account where m.organization = :o"
                + " order by m.account.usernameKey", Membership.class)
                .setParameter("o", context(orgName).org()).getResultList();
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Membership addMember(@OrgName String orgName, String username, Role role) {
        Organization org = context(orgName).org();
        Account account = accounts.findByUsername(username)
                .orElseThrow(() -> new ValidationException("username", "No account with this username."));
        if (membership(org, account.getId()) != null) {
            throw new ValidationException("username", "Already a member.");
        }
        if (rolesFromIdp(org) && role != null && role != org.getDefaultRole()) {
            throw new ValidationException("role", ROLES_FROM_IDP + " New members start with the default role.");
        }
        Membership m = new Membership(org, account, role == null ? org.getDefaultRole() : role, clock.now());
        em.persist(m);
        audit.recordAbout(org.getId(), viewer.getAccountId(), account.getId(), "member.join", "success", null,
                Map.of("role", m.getRole().label(), "source", "manual"));
        return m;
    }

    /** Why manual role changes are refused while the organization's IdP role mapping is on. */
    public static final String ROLES_FROM_IDP = "Roles come from the identity provider (role mapping is on in the"
            + " single sign-on settings), so they cannot be changed here.";

    /** Whether roles come from the IdP role mapping, so the members page offers no manual role changes. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public boolean rolesFromIdp(@OrgName String orgName) {
        return rolesFromIdp(context(orgName).org());
    }

    private boolean rolesFromIdp(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        return settings != null && settings.isRoleMappingEnabled();
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void changeRole(@OrgName String orgName, Long membershipId, Role role) {
        Organization org = context(orgName).org();
        Membership m = ownMembership(org, membershipId);
        if (role == null) {
            throw new ValidationException("role", "Choose a role.");
        }
        if (rolesFromIdp(org)) {
            throw new ValidationException("role", ROLES_FROM_IDP);
        }
        if (m.getRole() == Role.ADMIN && role != Role.ADMIN && adminCount(org) <= 1) {
            throw new ValidationException("role", "An organization needs at least one admin.");
        }
        Role before = m.getRole();
        if (before != role) {
            m.setRole(role);
            audit.recordAbout(org.getId(), viewer.getAccountId(), m.getAccount().getId(), "member.role", "success",
                    null, Map.of("from", before.label(), "to", role.label(), "source", "manual"));
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void removeMember(@OrgName String orgName, Long membershipId) {
        Organization org = context(orgName).org();
        Membership m = ownMembership(org, membershipId);
        if (m.getRole() == Role.ADMIN && adminCount(org) <= 1) {
            throw new ValidationException("members", "An organization needs at least one admin.");
        }
        audit.recordAbout(org.getId(), viewer.getAccountId(), m.getAccount().getId(), "member.remove", "success",
                null, Map.of("role", m.getRole().label()));
        em.remove(m);
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void setDefaultRole(@OrgName String orgName, Role role) {
        if (role == null) {
            throw new ValidationException("defaultRole", "Choose a role.");
        }
        Organization org = context(orgName).org();
        if (org.getDefaultRole() != role) {
            audit.record(org.getId(), viewer.getAccountId(), "org.settings", "success", null,
                    Map.of("defaultRole", org.getDefaultRole().label() + " -> " + role.label()));
        }
        org.setDefaultRole(role);
    }

    /** Organizations the signed-in viewer belongs to, by name. Not guarded: it lists the viewer's own links. */
    public List<Membership> mine() {
        if (!viewer.isSignedIn()) {
            return List.of();
        }
        return em.createQuery("select m from Membership m join fetch m.organization where m.account.id = :a"
                + " order by m.organization.nameKey", Membership.class)
                .setParameter("a", viewer.getAccountId()).getResultList();
    }

    /** The most recently created organizations, for the home page. Names and display names are public. */
    public List<Organization> recent(int max) {
        return em.createQuery("select o from Organization o order by o.createdAt desc, o.id desc",
                Organization.class).setMaxResults(max).getResultList();
    }

    Membership membership(Organization org, Long accountId) {
        return em.createQuery("select m from Membership m where m.organization = :o and m.account.id = :a",
                Membership.class).setParameter("o", org).setParameter("a", accountId).getResultList().stream()
                .findFirst().orElse(null);
    }

    private Membership ownMembership(Organization org, Long membershipId) {
        Membership m = membershipId == null ? null : em.find(Membership.class, membershipId);
        if (m == null || !m.getOrganization().getId().equals(org.getId())) {
            throw new ValidationException("members", "No such member.");
        }
        return m;
    }

    private long adminCount(Organization org) {
        return em.createQuery("select count(m) from Membership m where m.organization = :o and m.role = :r",
                Long.class).setParameter("o", org).setParameter("r", Role.ADMIN).getSingleResult();
    }

    private OrgContext context(String orgName) {
        return contexts.guarded(orgName);
    }

    static String newOrgUid() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
