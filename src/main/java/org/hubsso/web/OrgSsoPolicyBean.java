package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.List;
import org.hubsso.hub.Paths;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.RoleMapping;
import org.hubsso.sso.SsoPolicyService;
import org.hubsso.sso.SsoSessions;

/**
 * The policy sections of {@code /organizations/{org}/settings/sso}: SSO session timeout and revocation, and the
 * IdP role mapping with its simulator. Kept apart from {@link OrgSsoBean}, which configures the IdP.
 */
@Named("ssoPolicy")
@RequestScoped
public class OrgSsoPolicyBean {

    @Inject
    SsoPolicyService policies;

    @Inject
    SsoSessions sessions;

    private SsoPolicyService.View view;
    private Long timeoutAmount;
    private String timeoutUnit;
    private Boolean mappingEnabled;
    private Boolean overageDefaultRole;
    private String rolePath;
    private String roleTable;
    private String profile;
    private String emailDomains;
    private RoleMapping.Result simulation;

    public SsoPolicyService.View getView() {
        if (view == null) {
            view = policies.view(orgName());
            Duration timeout = view.getSessionTimeout();
            SsoPolicyService.Unit unit = SsoPolicyService.Unit.of(timeout);
            if (timeoutAmount == null) {
                timeoutAmount = unit.amount(timeout);
            }
            if (timeoutUnit == null) {
                timeoutUnit = unit.label();
            }
            if (mappingEnabled == null) {
                mappingEnabled = view.isRoleMappingEnabled();
            }
            if (overageDefaultRole == null) {
                overageDefaultRole = view.isOverageDefaultRole();
            }
            if (rolePath == null) {
                rolePath = view.getRoleMappingPath();
            }
            if (roleTable == null) {
                roleTable = RoleMapping.formatTable(view.getRoleMappings());
            }
            if (profile == null) {
                profile = view.getLastProfile();
            }
            if (emailDomains == null) {
                emailDomains = view.getEmailDomains();
            }
        }
        return view;
    }

    public void saveTimeout() {
        try {
            Duration saved = policies.saveSessionTimeout(orgName(), timeoutAmount, timeoutUnit);
            Pages.notice("SSO sessions now last " + SsoPolicyService.describe(saved) + " from their login.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("sessions", e);
        }
    }

    public void revokeAll() {
        int n = sessions.revokeAll(orgName());
        Pages.notice("Revoked " + n + " SSO session(s), yours included: members sign in with SSO again.");
        Pages.redirect(settingsPath());
    }

    public void saveRoleMapping() {
        try {
            List<String> losing = policies.saveRoleMapping(orgName(), Boolean.TRUE.equals(mappingEnabled), rolePath,
                    roleTable, Boolean.TRUE.equals(overageDefaultRole));
            Pages.notice(Boolean.TRUE.equals(mappingEnabled) ? "Role mapping saved: roles follow the IdP at every"
                    + " SSO login." : "Role mapping saved (off).");
            if (!losing.isEmpty()) {
                Pages.notice("By their last SSO logins, these admins will no longer be admins at their next one: "
                        + String.join(", ", losing) + ".");
            }
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("roles", e);
        }
    }

    public void saveEmailDomains() {
        try {
            var saved = policies.saveEmailDomains(orgName(), emailDomains);
            Pages.notice(saved.isEmpty() ? "Any email domain passes single sign-on."
                    : "Only emails in " + saved + " pass single sign-on now.");
            Pages.redirect(settingsPath());
        } catch (ValidationException e) {
            Pages.fieldError("domains", e);
        }
    }

    public String getEmailDomains() {
        return emailDomains;
    }

    public void setEmailDomains(String emailDomains) {
        this.emailDomains = emailDomains;
    }

    public void simulate() {
        try {
            simulation = policies.simulate(orgName(), rolePath, roleTable, profile);
        } catch (ValidationException e) {
            Pages.fieldError("roles", e);
        }
    }

    public SsoPolicyService.Unit[] getUnits() {
        return SsoPolicyService.Unit.values();
    }

    private String settingsPath() {
        return Paths.ssoSettings(orgName());
    }

    private static String orgName() {
        return Pages.route().org();
    }

    public RoleMapping.Result getSimulation() {
        return simulation;
    }

    public Long getTimeoutAmount() {
        return timeoutAmount;
    }

    public void setTimeoutAmount(Long timeoutAmount) {
        this.timeoutAmount = timeoutAmount;
    }

    public String getTimeoutUnit() {
        return timeoutUnit;
    }

    public void setTimeoutUnit(String timeoutUnit) {
        this.timeoutUnit = timeoutUnit;
    }

    public Boolean getMappingEnabled() {
        return mappingEnabled;
    }

    public void setMappingEnabled(Boolean mappingEnabled) {
        this.mappingEnabled = mappingEnabled;
    }

    public Boolean getOverageDefaultRole() {
        return overageDefaultRole;
    }

    public void setOverageDefaultRole(Boolean overageDefaultRole) {
        this.overageDefaultRole = overageDefaultRole;
    }

    /** Whether the simulated profile carries a groups overage reference instead of the groups. */
    public boolean isSimulatedOverage() {
        return simulation != null && profile != null && RoleMapping.groupsOverage(profile);
    }

    public String getRolePath() {
        return rolePath;
    }

    public void setRolePath(String rolePath) {
        this.rolePath = rolePath;
    }

    public String getRoleTable() {
        return roleTable;
    }

    public void setRoleTable(String roleTable) {
        this.roleTable = roleTable;
    }

    public String getProfile() {
        return profile;
    }

    public void setProfile(String profile) {
        this.profile = profile;
    }
}
