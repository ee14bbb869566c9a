package org.hubsso.orgs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContext;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.OrgSso;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Keyset;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Names;
import org.hubsso.hub.Organization;
import org.hubsso.hub.OrganizationCreated;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.Repo;
import org.hubsso.hub.Repos;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.hub.Visibility;

/** Organizations, their settings and their members. Every method touching one organization is guarded. */
@ApplicationScoped
@Transactional
public class OrganizationService {

    /** Why manual role changes are refused while the organization's IdP role mapping is on. */
    public static final String ROLES_FROM_IDP = "Roles come from the identity provider (role mapping is on in the"
            + " single sign-on settings), so they cannot be changed here.";

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    Viewer viewer;

    @Inject
    OrgContexts contexts;

    @Inject
    Organizations organizations;

    @Inject
    Memberships memberships;

    @Inject
    AccountService accounts;

    @Inject
    Repos repos;

    @Inject
    OrgSso sso;

    @Inject
    HubClock clock;

    @Inject
    Audit audit;

    @Inject
    Event<OrganizationCreated> created;

    /** Creates an organization; the signed-in creator becomes its first admin. */
    public Organization create(String name, String displayName) {
        Account creator = accounts.find(viewer.getAccountId())
                .orElseThrow(() -> new AccessDeniedException(Decision.FORBIDDEN, name));
        String orgName = Names.requireNamespace("name", name);
        String display = Names.requireDisplayName("displayName", displayName, orgName);
        if (organizations.nameTaken(orgName) || accounts.findByUsername(orgName).isPresent()) {
            throw new ValidationException("name", "This name is taken.");
        }
        Organization org = new Organization(orgName, Organization.newUid(), display, Role.READ, clock.now());
        em.persist(org);
        em.persist(new Membership(org, creator, Role.ADMIN, clock.now()));
        created.fire(new OrganizationCreated(org));
        return org;
    }

    /**
     * One page of the organization page: public repositories for everyone, all of them for those the policy lets
     * read private ones (members with a valid SSO session where SSO is enforced).
     */
    @OrgAccess(scope = Scope.ORG)
    public OrgPage page(@OrgName String orgName, Keyset.Request page) {
        OrgContext ctx = context(orgName);
        boolean all = ctx.decide(Visibility.PRIVATE, Role.READ) == Decision.ALLOW;
        boolean publicOnes = all || ctx.decide(Visibility.PUBLIC, Role.READ) == Decision.ALLOW;
        Keyset.Slice<Repo> visible = publicOnes ? repos.of(ctx.org(), !all, page)
                : new Keyset.Slice<>(List.of(), null, null);
        long count = publicOnes ? repos.count(ctx.org(), !all) : 0;
        return new OrgPage(ctx.org(), ctx.memberRole(), visible, count, ctx.ssoEnforced(),
                sso.suspendedSince(ctx.org()).orElse(null));
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

    /** One page of the members, by username. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Keyset.Slice<Membership> members(@OrgName String orgName, Keyset.Request page) {
        return memberships.members(context(orgName).org(), page);
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public long memberCount(@OrgName String orgName) {
        return memberships.count(context(orgName).org());
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Membership addMember(@OrgName String orgName, String username, Role role) {
        Organization org = context(orgName).org();
        Account account = accounts.findByUsername(username)
                .orElseThrow(() -> new ValidationException("username", "No account with this username."));
        if (memberships.of(org, account.getId()).isPresent()) {
            throw new ValidationException("username", "Already a member.");
        }
        if (sso.rolesFromIdp(org) && role != null && role != org.getDefaultRole()) {
            throw new ValidationException("role", ROLES_FROM_IDP + " New members start with the default role.");
        }
        Membership m = new Membership(org, account, role == null ? org.getDefaultRole() : role, clock.now());
        em.persist(m);
        audit.memberChange(org.getId(), viewer.getAccountId(), account.getId(), AuditEvent.MEMBER_JOIN,
                Map.of("role", m.getRole().label(), "source", "manual"));
        return m;
    }

    /** Whether roles come from the IdP role mapping, so the members page offers no manual role changes. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public boolean rolesFromIdp(@OrgName String orgName) {
        return sso.rolesFromIdp(context(orgName).org());
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void changeRole(@OrgName String orgName, Long membershipId, Role role) {
        Organization org = context(orgName).org();
        Membership m = ownMembership(org, membershipId);
        if (role == null) {
            throw new ValidationException("role", "Choose a role.");
        }
        if (sso.rolesFromIdp(org)) {
            throw new ValidationException("role", ROLES_FROM_IDP);
        }
        if (m.getRole() == Role.ADMIN && role != Role.ADMIN && memberships.admins(org) <= 1) {
            throw new ValidationException("role", "An organization needs at least one admin.");
        }
        Role before = m.getRole();
        if (before != role) {
            m.setRole(role);
            audit.memberChange(org.getId(), viewer.getAccountId(), m.getAccount().getId(), AuditEvent.MEMBER_ROLE,
                    Map.of("from", before.label(), "to", role.label(), "source", "manual"));
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void removeMember(@OrgName String orgName, Long membershipId) {
        Organization org = context(orgName).org();
        Membership m = ownMembership(org, membershipId);
        if (m.getRole() == Role.ADMIN && memberships.admins(org) <= 1) {
            throw new ValidationException("members", "An organization needs at least one admin.");
        }
        audit.memberChange(org.getId(), viewer.getAccountId(), m.getAccount().getId(), AuditEvent.MEMBER_REMOVE,
                Map.of("role", m.getRole().label()));
        em.remove(m);
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void setDefaultRole(@OrgName String orgName, Role role) {
        if (role == null) {
            throw new ValidationException("defaultRole", "Choose a role.");
        }
        Organization org = context(orgName).org();
        if (org.getDefaultRole() != role) {
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.ORG_SETTINGS,
                    Map.of("defaultRole", org.getDefaultRole().label() + " -> " + role.label()));
        }
        org.setDefaultRole(role);
    }

    /**
     * One page of the organizations the signed-in viewer belongs to, by name. Not guarded: it lists the viewer's
     * own links.
     */
    public Keyset.Slice<Membership> mine(Keyset.Request page) {
        return viewer.isSignedIn() ? memberships.ofAccount(viewer.getAccountId(), page)
                : new Keyset.Slice<>(List.of(), null, null);
    }

    /** The viewer's organizations by name, at most {@code max} (a form's choice of owners). */
    public List<Membership> mine(int max) {
        return viewer.isSignedIn() ? memberships.ofAccount(viewer.getAccountId(), max) : List.of();
    }

    /** One page of all organizations, by name, for the home page. Names and display names are public. */
    public Keyset.Slice<Organization> all(Keyset.Request page) {
        return organizations.page(page);
    }

    private Membership ownMembership(Organization org, Long membershipId) {
        return memberships.inOrg(org, membershipId)
                .orElseThrow(() -> new ValidationException("members", "No such member."));
    }

    private OrgContext context(String orgName) {
        return contexts.guarded(orgName);
    }
}
