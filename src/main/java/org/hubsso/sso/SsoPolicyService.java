package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.hubsso.hub.ValidationException;

/**
 * The SSO policies of an organization besides the IdP configuration: the SSO session timeout and the IdP role
 * mapping (with its simulator and the guard against an admin locking themselves out). Admins only; every
 * change is audited with a field-level diff.
 */
@ApplicationScoped
@Transactional
public class SsoPolicyService {

    @Inject
    OrgContexts contexts;

    @Inject
    SsoConfigs configs;

    @Inject
    SsoTests tests;

    @Inject
    Memberships memberships;

    @Inject
    SsoSessions sessions;

    @Inject
    Viewer viewer;

    @Inject
    Audit audit;

    @Inject
    HubClock clock;

    /** Units the timeout may be given in. */
    public enum Unit {
        MINUTES(Duration.ofMinutes(1)), HOURS(Duration.ofHours(1)), DAYS(Duration.ofDays(1));

        private final Duration length;

        Unit(Duration length) {
            this.length = length;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The largest unit that expresses {@code d} exactly. */
        public static Unit of(Duration d) {
            if (d.toSeconds() % DAYS.length.toSeconds() == 0) {
                return DAYS;
            }
            return d.toSeconds() % HOURS.length.toSeconds() == 0 ? HOURS : MINUTES;
        }

        public long amount(Duration d) {
            return d.toSeconds() / length.toSeconds();
        }
    }

    /** What the policy sections of the settings page show, as plain values (getters, for Faces EL). */
    public static final class View {
        private final OrgSsoSettings settings;
        private final Role defaultRole;
        private final String lastProfile;

        View(OrgSsoSettings settings, Role defaultRole, String lastProfile) {
            this.settings = settings;
            this.defaultRole = defaultRole;
            this.lastProfile = lastProfile;
        }

        public boolean isRoleMappingEnabled() {
            return settings.isRoleMappingEnabled();
        }

        public boolean isOverageDefaultRole() {
            return settings.isOverageDefaultRole();
        }

        public String getRoleMappingPath() {
            return settings.getRoleMappingPath();
        }

        /** The role mapping table: IdP value to role, in the order the admin gave. */
        public Map<String, Role> getRoleMappings() {
            return settings.getRoleMappings();
        }

        public Role getDefaultRole() {
            return defaultRole;
        }

        /** The IdP profile of the viewer's last passed test, or {@code null}. */
        public String getLastProfile() {
            return lastProfile;
        }

        public Duration getSessionTimeout() {
            return settings.getSessionTimeout();
        }

        public String getTimeout() {
            return describe(settings.getSessionTimeout());
        }

        /** The matching email domains, one per line, or empty for any. */
        public String getEmailDomains() {
            return String.join("\n", settings.emailDomains().list());
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public View view(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        return new View(configs.settingsOf(org), org.getDefaultRole(), lastProfile(org, viewer.getAccountId()));
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Duration saveSessionTimeout(@OrgName String orgName, Long amount, String unit) {
        Organization org = contexts.guarded(orgName).org();
        Unit u = unit == null ? null : Arrays.stream(Unit.values())
                .filter(x -> x.label().equalsIgnoreCase(unit.strip())).findFirst().orElse(null);
        if (amount == null || u == null) {
            throw new ValidationException("timeout", "Enter a number of minutes, hours or days.");
        }
        if (amount < 1 || amount > 200_000) {
            throw new ValidationException("timeout", "Use 15 minutes to 90 days.");
        }
        Duration timeout = u.length.multipliedBy(amount);
        if (timeout.compareTo(OrgSsoSettings.MIN_SESSION_TIMEOUT) < 0
                || timeout.compareTo(OrgSsoSettings.MAX_SESSION_TIMEOUT) > 0) {
            throw new ValidationException("timeout", "Use 15 minutes to 90 days.");
        }
        OrgSsoSettings settings = configs.settingsOf(org);
        Duration before = settings.getSessionTimeout();
        if (!before.equals(timeout)) {
            settings.setSessionTimeout(timeout, clock.now());
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS,
                    Map.of("sessionTimeout", describe(before) + " -> " + describe(timeout)));
        }
        return timeout;
    }

    /**
     * Saves the role mapping. Switched on, it needs a valid path, at least one value mapped to admin, the admin's own
     * last tested profile must still yield admin, and it may not leave the organization without any admin.
     *
     * @return the other admins who would lose admin at their next SSO login, by the profile of their last one
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<String> saveRoleMapping(@OrgName String orgName, boolean enabled, String path, String table,
            boolean overageDefaultRole) {
        Organization org = contexts.guarded(orgName).org();
        Map<String, Role> mappings = RoleMapping.parseTable("roleTable", table);
        String p = path == null || path.isBlank() ? null : path.strip();
        if (enabled || p != null) {
            RoleMapping.compile("rolePath", p);
        }
        OrgSsoSettings settings = configs.settingsOf(org);
        List<String> losing = List.of();
        if (enabled) {
            RoleMapping mapping = RoleMapping.validated(p, mappings);
            requireAdminKept(org, mapping, viewer.getAccountId(), "rolePath");
            losing = adminsLosingAdmin(org, mapping, viewer.getAccountId());
        }
        Map<String, Object> diff = new LinkedHashMap<>();
        Diffs.put(diff, "roleMappingEnabled", settings.isRoleMappingEnabled(), enabled);
        Diffs.put(diff, "roleMappingPath", settings.getRoleMappingPath(), p);
        Diffs.put(diff, "roleMappings", RoleMapping.formatTable(settings.getRoleMappings()).strip().replace('\n', ';'),
                RoleMapping.formatTable(mappings).strip().replace('\n', ';'));
        Diffs.put(diff, "groupsOverage", overage(settings.isOverageDefaultRole()), overage(overageDefaultRole));
        settings.configureRoleMapping(enabled, p, mappings, overageDefaultRole, clock.now());
        if (!diff.isEmpty()) {
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS, diff);
        }
        return losing;
    }

    private static String overage(boolean defaultRole) {
        return defaultRole ? "default role" : "refuse";
    }

    /**
     * The admins (other than the acting one, whose own test profile is checked apart) whom the mapping would make
     * less than admin at their next SSO login, judged by the profile of their last one; an admin without any SSO
     * login yet keeps the role until then and is not counted. Refuses a mapping under which no admin at all would be
     * left.
     */
    List<String> adminsLosingAdmin(Organization org, RoleMapping mapping, Long actorId) {
        List<String> losing = new ArrayList<>();
        int keeping = 0;
        for (Membership admin : memberships.adminsOf(org)) {
            Long id = admin.getAccount().getId();
            String profile = id.equals(actorId) ? lastProfile(org, id) : sessions.lastProfile(org, id);
            if (profile == null || mapping.evaluate(profile, org.getDefaultRole()).getRole() == Role.ADMIN) {
                keeping++;
            } else {
                losing.add(admin.getAccount().getUsername());
            }
        }
        if (keeping == 0) {
            throw new ValidationException("rolePath", "This role mapping would leave " + org.getName() + " with no"
                    + " admin at all: by their last SSO logins, " + String.join(", ", losing) + " would all lose"
                    + " admin.");
        }
        return losing;
    }

    /**
     * Saves the matching email domains: when any are listed, only IdP emails in them pass the organization's SSO or
     * join through it. While SSO is enforced, the acting admin's own email from the last passed test must stay in
     * them, or the admin would be locked out at the next sign-in.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public EmailDomains saveEmailDomains(@OrgName String orgName, String text) {
        Organization org = contexts.guarded(orgName).org();
        EmailDomains domains = EmailDomains.parse("emailDomains", text);
        OrgSsoSettings settings = configs.settingsOf(org);
        if (settings.isEnabled() && !domains.isEmpty()) {
            String own = lastEmail(org, viewer.getAccountId());
            if (own == null || !domains.allows(own)) {
                throw new ValidationException("emailDomains", own == null ? "Run Update and Test first: the domains"
                        + " are checked against your own IdP email, so that they cannot lock you out."
                        : "Your own IdP email (" + own + ", from your last test) is in none of these domains: your"
                        + " next single sign-on would lock you out of these settings.");
            }
        }
        EmailDomains before = settings.emailDomains();
        if (!before.list().equals(domains.list())) {
            settings.setEmailDomains(domains, clock.now());
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS,
                    Map.of("emailDomains", before + " -> " + domains));
        }
        return domains;
    }

    /** The IdP email of the account's last passed "Update and Test" in this organization, or {@code null}. */
    String lastEmail(Organization org, Long accountId) {
        return tests.lastPassed(org, accountId).map(SsoTestResult::getIdpEmail).orElse(null);
    }

    /** What a draft mapping makes of a profile: the values at the path and the resulting role. Changes nothing. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public RoleMapping.Result simulate(@OrgName String orgName, String path, String table, String profileJson) {
        Organization org = contexts.guarded(orgName).org();
        RoleMapping mapping = RoleMapping.of(path, RoleMapping.parseTable("roleTable", table));
        String profile = profileJson == null || profileJson.isBlank() ? null : profileJson;
        if (profile == null) {
            throw new ValidationException("profile", "Paste an IdP profile (JSON), or run Update and Test to get"
                    + " your own.");
        }
        if (profile.length() > 64_000) {
            throw new ValidationException("profile", "Use at most 64,000 characters.");
        }
        return mapping.evaluate(profile, org.getDefaultRole());
    }

    /**
     * Refuses a role mapping under which the admin's own last passed test profile would no longer be admin: the
     * next SSO login would take their admin role away.
     */
    public void requireAdminKept(Organization org, RoleMapping mapping, Long accountId, String field) {
        if (mapping == null) {
            return;
        }
        String profile = lastProfile(org, accountId);
        if (profile == null) {
            throw new ValidationException(field, "Run Update and Test first: the role mapping is checked against"
                    + " your own IdP profile, so that it cannot lock you out.");
        }
        RoleMapping.Result result = mapping.evaluate(profile, org.getDefaultRole());
        if (result.getRole() != Role.ADMIN) {
            throw new ValidationException(field, "With this role mapping your own IdP profile (from your last test)"
                    + " gives you the role " + result.getRole().label() + ", not admin: your next single sign-on"
                    + " would lock you out of these settings. Values found at the path: "
                    + (result.getValues().isEmpty() ? "none" : String.join(", ", result.getValues())) + ".");
        }
    }

    /** The IdP profile of the account's last passed "Update and Test" in this organization, or {@code null}. */
    String lastProfile(Organization org, Long accountId) {
        return tests.lastPassed(org, accountId).map(SsoTestResult::getAttributesJson).orElse(null);
    }

    /** A duration in the largest exact unit: "7 days", "1 hour", "90 minutes". */
    public static String describe(Duration d) {
        Unit u = Unit.of(d);
        long n = u.amount(d);
        String label = u.label();
        return n + " " + (n == 1 ? label.substring(0, label.length() - 1) : label);
    }

}
