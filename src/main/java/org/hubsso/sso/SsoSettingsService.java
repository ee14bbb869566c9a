package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Names;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;

/**
 * The IdP configuration of an organization, for its admins only. While the organization does not enforce SSO, what
 * an admin saves is live at once (nobody signs in through it). While it does, a save is a draft: "Update and Test"
 * tries the draft, members keep the live configuration, and the draft goes live only when an admin applies it after
 * a passing test of that very draft. Enabling and applying also need the acting admin's own passing test, signed in
 * at the IdP as one of the admin's verified emails, so that nobody locks themselves out. Every change is audited
 * with a field-level diff.
 */
@ApplicationScoped
@Transactional
public class SsoSettingsService {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    OrgContexts contexts;

    @Inject
    Viewer viewer;

    @Inject
    Audit audit;

    @Inject
    HubClock clock;

    @Inject
    SsoPolicyService policies;

    @Inject
    SsoConfigs configs;

    @Inject
    SsoTests tests;

    @Inject
    SsoKeys keys;

    @Inject
    RecoveryCodes recovery;

    @Inject
    AccountService accounts;

    /** Everything the settings page shows. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SsoSettingsView view(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        Optional<SsoDraft> draft = configs.draftOf(org);
        Long me = viewer.getAccountId();
        EmailDomains domains = settings.emailDomains();
        SsoSettingsView.LastTest last = tests.last(org, me).map(t -> new SsoSettingsView.LastTest(t,
                t.isPassed() && isVerifiedEmailOf(me, t.getIdpEmail()),
                t.isPassed() && domains.allows(t.getIdpEmail()))).orElse(null);
        return new SsoSettingsView(org.getName(), org.getOrgUid(), settings.isEnabled(), settings.config(),
                draft.map(SsoDraft::config).orElse(null), last,
                passedAsOneself(org, settings.getConfigVersion(), me),
                draft.isPresent() && passedAsOneself(org, draft.get().getVersion(), me), keys.lastUses(org),
                clock.now());
    }

    /**
     * Stores what an admin saved in a protocol's form ({@code sso.saml}, {@code sso.oidc} check the fields): live at
     * once while SSO is not enforced, else as the draft. {@code change} makes the new configuration from the one the
     * forms showed (the draft, or the live one).
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig save(@OrgName String orgName, BiFunction<Organization, IdpConfig, IdpConfig> change) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        return store(org, settings, change.apply(org, configs.working(org)));
    }

    /**
     * Changes the live configuration at once, without "Update and Test": only for changes that keep every member's
     * way in (a trusted certificate added; one removed with its guards), or that come from the IdP itself (its
     * metadata). Audited with the diff and {@code why}; a draft under test stays as it is. The caller decides access.
     *
     * @param actorId the admin who made the change, or {@code null} for the hub itself (a metadata refresh)
     * @return the live configuration afterwards
     */
    public IdpConfig changeLive(Organization org, Long actorId, IdpConfig candidate, Map<String, Object> why) {
        OrgSsoSettings settings = configs.settingsOf(org);
        Map<String, Object> diff = candidate.diff(settings.config());
        if (!diff.isEmpty()) {
            settings.apply(candidate, settings.nextVersion(), clock.now());
            Map<String, Object> detail = new LinkedHashMap<>(why);
            detail.put("configVersion", settings.getConfigVersion());
            detail.putAll(diff);
            audit.setting(org.getId(), actorId, AuditEvent.SSO_SETTINGS, detail);
        }
        return settings.config();
    }

    /**
     * Stores a configuration an admin saved. Not enforced: it is live at once. Enforced: it becomes the draft (or, the
     * same as the live one, there is no draft any more); members keep the live configuration.
     */
    private IdpConfig store(Organization org, OrgSsoSettings settings, IdpConfig candidate) {
        IdpConfig live = settings.config();
        Optional<SsoDraft> draft = configs.draftOf(org);
        if (!settings.isEnabled()) {
            draft.ifPresent(em::remove);
            Map<String, Object> diff = candidate.diff(live);
            if (!diff.isEmpty()) {
                settings.apply(candidate, settings.nextVersion(), clock.now());
                audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS, diff);
            }
            return settings.config();
        }
        if (candidate.sameAs(live)) {
            draft.ifPresent(d -> {
                em.remove(d);
                audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_DRAFT,
                        Map.of("discarded", d.getVersion(), "why", "saved the same as the live configuration"));
            });
            return live;
        }
        if (draft.isPresent() && candidate.sameAs(draft.get().config())) {
            return draft.get().config();
        }
        long version = settings.nextVersion();
        // Filled before it is persisted: Hibernate inserts the state an entity had when persist() was called.
        SsoDraft saved = draft.orElseGet(() -> new SsoDraft(org.getId()));
        saved.save(candidate, version, viewer.getAccountId(), clock.now());
        if (draft.isEmpty()) {
            em.persist(saved);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("draftVersion", version);
        detail.putAll(candidate.diff(live));
        audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_DRAFT, detail);
        return saved.config();
    }

    /**
     * Makes the draft live: only after the acting admin's own passing test of this very draft, signed in at the IdP
     * as one of the admin's verified emails, and only when the role mapping keeps the admin an admin.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void applyDraft(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        SsoDraft draft = configs.draftOf(org).orElseThrow(() -> new ValidationException("apply", "There is no draft to"
                + " apply: the live configuration is the one shown."));
        requireOwnPassingTest(org, draft.getVersion(), "apply", "applying it");
        policies.requireAdminKept(org, settings.roleMapping(), viewer.getAccountId(), "apply");
        IdpConfig before = settings.config();
        IdpConfig applied = draft.config();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("appliedDraft", draft.getVersion());
        detail.putAll(applied.diff(before));
        settings.apply(applied, draft.getVersion(), clock.now());
        em.remove(draft);
        audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS, detail);
    }

    /** Throws the draft away; members keep the live configuration, which they never stopped using. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void discardDraft(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        configs.draftOf(org).ifPresent(d -> {
            em.remove(d);
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_DRAFT,
                    Map.of("discarded", d.getVersion()));
        });
    }

    /**
     * Enabling needs the acting admin's own passing test of the live configuration, signed in at the IdP as one of
     * the admin's verified emails: otherwise the admin would be locked out of these settings at once. Enabling makes
     * a new set of recovery codes, returned to be shown once to the enabling admin.
     *
     * @return the new recovery codes (none when SSO was enabled already)
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<String> enable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        if (!settings.isConfigured()) {
            throw new ValidationException("enable", "Configure single sign-on first.");
        }
        requireOwnPassingTest(org, settings.getConfigVersion(), "enable", "enabling single sign-on");
        policies.requireAdminKept(org, settings.roleMapping(), viewer.getAccountId(), "enable");
        if (settings.isEnabled()) {
            return List.of();
        }
        settings.setEnabled(true, clock.now());
        audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_ENABLE,
                Map.of("configVersion", settings.getConfigVersion()));
        return recovery.generate(org, viewer.getAccountId());
    }

    /** What every settings page of the organization shows above its panel: expiry warnings, the operator's override. */
    public record Notices(List<String> certificateWarnings, String suspension) {
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Notices notices(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        Instant now = clock.now();
        List<String> warnings = settings.config().protocol() != SsoProtocol.SAML ? List.of()
                : settings.config().saml().certificates().stream().map(c -> {
                    String warning = CertificateExpiry.of(c.notAfter(), now).message(c.notAfter(), now);
                    return warning == null ? null : "IdP signing certificate " + c.subject() + ": " + warning;
                }).filter(w -> w != null).toList();
        String suspension = settings.getSuspendedAt() == null ? null : "The hub's operator suspended single sign-on"
                + " enforcement at " + settings.getSuspendedAt() + ": " + settings.getSuspendedReason()
                + " Members reach the organization without the IdP until the suspension is lifted.";
        return new Notices(warnings, suspension);
    }

    /** Disabling makes a draft live, as any save is while SSO is not enforced. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void disable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = configs.settingsOf(org);
        if (settings.isEnabled()) {
            settings.setEnabled(false, clock.now());
            audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_DISABLE, null);
            configs.draftOf(org).ifPresent(d -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("fromDraft", d.getVersion());
                detail.putAll(d.config().diff(settings.config()));
                settings.apply(d.config(), d.getVersion(), clock.now());
                em.remove(d);
                audit.setting(org.getId(), viewer.getAccountId(), AuditEvent.SSO_SETTINGS, detail);
            });
        }
    }

    /**
     * Refuses unless the acting admin's newest passing test of configuration {@code version} exists and signed the
     * admin in at the IdP as one of the admin's verified emails.
     */
    private void requireOwnPassingTest(Organization org, long version, String field, String doing) {
        Long me = viewer.getAccountId();
        Optional<SsoTestResult> test = tests.lastPassed(org, me, version);
        if (test.isEmpty()) {
            throw new ValidationException(field, "Run \"Update and Test\" with the current configuration, and pass"
                    + " it, before " + doing + ".");
        }
        String email = test.get().getIdpEmail();
        EmailDomains domains = configs.settingsOf(org).emailDomains();
        if (!domains.allows(email)) {
            throw new ValidationException(field, "Your last passing test of this configuration signed you in at the"
                    + " IdP as " + email + ", which is in none of the matching email domains (" + domains + "): after "
                    + doing + " you could not pass single sign-on yourself. Add its domain, or test as yourself with"
                    + " an email in them.");
        }
        if (!isVerifiedEmailOf(me, email)) {
            String username = accounts.find(me).map(Account::getUsername).orElse("");
            throw new ValidationException(field, "Your last passing test of this configuration signed you in at the"
                    + " IdP as " + email + ", which is not a verified email of your account " + username + ": after "
                    + doing + " you could not pass single sign-on yourself and would be locked out of these"
                    + " settings. Run Update and Test again signing in at the IdP as yourself, or add and verify "
                    + email + " in your account settings first.");
        }
    }

    /**
     * Whether the account's newest passing test of {@code version} signed it in as one of its verified emails, in the
     * organization's matching email domains.
     */
    private boolean passedAsOneself(Organization org, long version, Long accountId) {
        EmailDomains domains = configs.settingsOf(org).emailDomains();
        return tests.lastPassed(org, accountId, version).filter(t -> isVerifiedEmailOf(accountId, t.getIdpEmail())
                && domains.allows(t.getIdpEmail())).isPresent();
    }

    private boolean isVerifiedEmailOf(Long accountId, String email) {
        return email != null && accounts.emails(accountId).stream().anyMatch(e -> e.isVerified()
                && Names.emailKey(e.getAddress()).equals(Names.emailKey(email)));
    }

}
