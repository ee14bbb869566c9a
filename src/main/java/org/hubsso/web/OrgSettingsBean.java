package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.hub.Keyset;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Paths;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.orgs.OrganizationService;
import org.hubsso.sso.SsoSessions;
import org.hubsso.sso.SsoSettingsService;

/** {@code /organizations/{org}/settings/general} and {@code .../members} (paged, searchable): admins only. */
@Named("orgSettings")
@RequestScoped
public class OrgSettingsBean {

    @Inject
    OrganizationService orgs;

    @Inject
    SsoSessions sessions;

    @Inject
    SsoSettingsService ssoSettings;

    private SsoSettingsService.Notices ssoNotices;

    private Boolean rolesFromIdp;

    private Organization org;
    private Keyset.Slice<Membership> members;
    private PageLinks memberLinks;
    private Long memberCount;
    private final Map<Long, String> roleEdits = new HashMap<>();
    private String displayName;
    private String defaultRole;
    private String newUsername;
    private String newRole;

    public void load() {
        org = orgs.settings(orgName());
        if (displayName == null) {
            displayName = org.getDisplayName();
        }
        if (defaultRole == null) {
            defaultRole = org.getDefaultRole().label();
        }
    }

    /** Certificate expiry warnings and the operator's override, shown on every settings page. */
    public SsoSettingsService.Notices getSsoNotices() {
        if (ssoNotices == null) {
            ssoNotices = ssoSettings.notices(orgName());
        }
        return ssoNotices;
    }

    public Organization getOrg() {
        if (org == null) {
            load();
        }
        return org;
    }

    /**
     * One page of members ({@code ?q=}, {@code ?after=}, {@code ?before=}; the members form posts them back as
     * hidden fields, so a postback reads the same page it was rendered from). Only these rows get role controls.
     */
    public List<Membership> getMembers() {
        if (members == null) {
            memberLinks = PageLinks.of("");
            members = orgs.members(orgName(), memberLinks.request());
            for (Membership m : members.rows()) {
                roleEdits.putIfAbsent(m.getId(), m.getRole().label());
            }
        }
        return members.rows();
    }

    public long getMemberCount() {
        if (memberCount == null) {
            memberCount = orgs.memberCount(orgName());
        }
        return memberCount;
    }

    public String getMemberSearch() {
        getMembers();
        return memberLinks.search();
    }

    /** The page's own cursors, for the hidden fields of the members form. */
    public Keyset.Request getMemberPage() {
        getMembers();
        return memberLinks.request();
    }

    public String getMembersPrevious() {
        getMembers();
        return memberLinks.previous(members);
    }

    public String getMembersNext() {
        getMembers();
        return memberLinks.next(members);
    }

    public void saveGeneral() {
        try {
            orgs.updateGeneral(orgName(), displayName);
            Pages.notice("Saved.");
            Pages.redirect(Paths.orgSettings(getOrg().getName(), "general"));
        } catch (ValidationException e) {
            Pages.fieldError("general", e);
        }
    }

    public void addMember() {
        try {
            Membership m = orgs.addMember(orgName(), newUsername, isRolesFromIdp() ? null : Role.parse(newRole));
            Pages.notice(m.getAccount().getUsername() + " joined as " + m.getRole().label() + ".");
            membersPage();
        } catch (ValidationException e) {
            Pages.fieldError("add", e);
        }
    }

    public void changeRole(Long membershipId) {
        try {
            orgs.changeRole(orgName(), membershipId, Role.parse(roleEdits.get(membershipId)));
            Pages.notice("Role changed.");
            membersPage();
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    /** Whether roles come from the IdP role mapping: the page then offers no role changes, and says why. */
    public boolean isRolesFromIdp() {
        if (rolesFromIdp == null) {
            rolesFromIdp = orgs.rolesFromIdp(orgName());
        }
        return rolesFromIdp;
    }

    public String getRolesFromIdpReason() {
        return OrganizationService.ROLES_FROM_IDP;
    }

    public void revokeSessions(Long membershipId) {
        try {
            int n = sessions.revokeMember(orgName(), membershipId);
            Pages.notice("Revoked " + n + " SSO session(s) of this member.");
            membersPage();
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public void remove(Long membershipId) {
        try {
            orgs.removeMember(orgName(), membershipId);
            Pages.notice("Member removed.");
            membersPage();
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public void saveDefaultRole() {
        try {
            orgs.setDefaultRole(orgName(), Role.parse(defaultRole));
            Pages.notice("Default role saved.");
            membersPage();
        } catch (ValidationException e) {
            Pages.fieldError("defaults", e);
        }
    }

    public Role[] getRoles() {
        return Role.values();
    }

    private void membersPage() {
        Pages.redirect(Paths.orgSettings(getOrg().getName(), "members"));
    }

    private static String orgName() {
        return Pages.route().org();
    }

    public Map<Long, String> getRoleEdits() {
        return roleEdits;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getDefaultRole() {
        return defaultRole;
    }

    public void setDefaultRole(String defaultRole) {
        this.defaultRole = defaultRole;
    }

    public String getNewUsername() {
        return newUsername;
    }

    public void setNewUsername(String newUsername) {
        this.newUsername = newUsername;
    }

    public String getNewRole() {
        return newRole;
    }

    public void setNewRole(String newRole) {
        this.newRole = newRole;
    }
}
