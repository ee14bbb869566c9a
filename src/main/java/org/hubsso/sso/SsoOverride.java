package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.Viewer;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.ValidationException;

/**
 * The operator's last resort, for an organization whose admins have all lost their way in (IdP gone, recovery codes
 * lost): a site admin suspends the organization's SSO enforcement, only with a written reason. It is loud: audited in
 * the organization's log, mailed to its admins, and shown on its pages until it is lifted. It opens nothing to the
 * site admin: the organization's content stays members-only, and members still need their membership.
 */
@ApplicationScoped
@Transactional
public class SsoOverride {

    static final int MIN_REASON = 10;
    static final int MAX_REASON = 1000;

    @Inject
    Viewer viewer;

    @Inject
    AccountService accounts;

    @Inject
    Organizations organizations;

    @Inject
    SsoConfigs configs;

    @Inject
    Audit audit;

    @Inject
    OrgAdminMail adminMail;

    @Inject
    HubClock clock;

    /** A suspended organization, as the site admin page lists it. */
    public record Suspension(String org, Instant since, String by, String reason) {
    }

    /** Suspends the organization's SSO enforcement. Site admins only. */
    public void suspend(String orgName, String reason) {
        Account admin = siteAdmin();
        Organization org = organization(orgName);
        String why = Fields.required("reason", reason, MAX_REASON, "Write why enforcement is suspended: the"
                + " organization's admins read it.");
        if (why.length() < MIN_REASON) {
            throw new ValidationException("reason", "Write why enforcement is suspended, in a sentence: the"
                    + " organization's admins read it.");
        }
        OrgSsoSettings settings = configs.settingsOf(org);
        if (!settings.isEnabled()) {
            throw new ValidationException("org", org.getName() + " does not enforce single sign-on.");
        }
        if (settings.getSuspendedAt() != null) {
            throw new ValidationException("org", "Enforcement of " + org.getName() + " is suspended already.");
        }
        Instant now = clock.now();
        settings.suspend(admin.getId(), why, now);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", "suspend");
        detail.put("reason", why);
        audit.setting(org.getId(), admin.getId(), AuditEvent.SSO_OVERRIDE, detail);
        adminMail.send(org, "Single sign-on of " + org.getName() + " is suspended by the operator",
                "the hub's operator (" + admin.getUsername() + ") suspended the single sign-on enforcement of "
                        + org.getName() + " at " + now + ". Reason: " + why + "\n\nUntil it is lifted, members reach"
                        + " the organization with their hub sign-in alone. Repair the SSO configuration, then ask"
                        + " the operator to lift the suspension.");
    }

    /** Lifts the suspension: members must pass the IdP again. Site admins only. */
    public void lift(String orgName) {
        Account admin = siteAdmin();
        Organization org = organization(orgName);
        OrgSsoSettings settings = configs.settingsOf(org);
        if (settings.getSuspendedAt() == null) {
            throw new ValidationException("org", "Enforcement of " + org.getName() + " is not suspended.");
        }
        settings.lift(clock.now());
        audit.setting(org.getId(), admin.getId(), AuditEvent.SSO_OVERRIDE, Map.of("action", "lift"));
        adminMail.send(org, "Single sign-on of " + org.getName() + " is enforced again",
                "the hub's operator (" + admin.getUsername() + ") lifted the suspension of single sign-on for "
                        + org.getName() + ": members pass your identity provider again.");
    }

    /** Every organization whose enforcement is suspended now, oldest first. Site admins only. */
    public List<Suspension> suspended() {
        siteAdmin();
        return configs.suspended().stream().map(s -> new Suspension(
                organizations.byId(s.getOrgId()).map(Organization::getName).orElse("?"), s.getSuspendedAt(),
                s.getSuspendedBy() == null ? "?"
                        : accounts.find(s.getSuspendedBy()).map(Account::getUsername).orElse("?"),
                s.getSuspendedReason()))
                .toList();
    }

    private Account siteAdmin() {
        return accounts.find(viewer.getAccountId()).filter(Account::isSiteAdmin)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, "admin"));
    }

    private Organization organization(String orgName) {
        return organizations.byName(orgName)
                .orElseThrow(() -> new ValidationException("org", "No organization with this name."));
    }
}
