package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Names;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.outbound.Outbound;
import org.hubsso.sso.oidc.OidcDiscovery;
import org.hubsso.sso.saml.IdpCertificate;
import org.hubsso.sso.saml.IdpMetadata;

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

    public static final int MAX_ISSUER = 1000;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    OrgContexts contexts;

    @Inject
    Viewer viewer;

    @Inject
    SsoAudit audit;

    @Inject
    HubClock clock;

    @Inject
    SsoPolicyService policies;

    @Inject
    SsoSecrets secrets;

    @Inject
    AccountService accounts;

    @Inject
    Outbound outbound;

    /** Everything the settings page shows (a bean, for Faces EL). */
    public static final class View {
        private final Organization org;
        private final OrgSsoSettings settings;
        private final IdpConfig live;
        private final IdpConfig draft;
        private final IdpCertificate certificate;
        private final SsoTestResult lastTest;
        private final boolean lastTestMatchesViewer;
        private final boolean lastTestInDomains;
        private final boolean liveTestedByViewer;
        private final boolean draftTestedByViewer;

        View(Organization org, OrgSsoSettings settings, IdpConfig draft, IdpCertificate certificate,
                SsoTestResult lastTest, boolean lastTestMatchesViewer, boolean lastTestInDomains,
                boolean liveTestedByViewer, boolean draftTestedByViewer) {
            this.org = org;
            this.settings = settings;
            this.live = settings.config();
            this.draft = draft;
            this.certificate = certificate;
            this.lastTest = lastTest;
            this.lastTestMatchesViewer = lastTestMatchesViewer;
            this.lastTestInDomains = lastTestInDomains;
            this.liveTestedByViewer = liveTestedByViewer;
            this.draftTestedByViewer = draftTestedByViewer;
        }

        public Organization getOrg() {
            return org;
        }

        public OrgSsoSettings getSettings() {
            return settings;
        }

        public boolean isEnabled() {
            return settings.isEnabled();
        }

        /** What members sign in with. */
        public IdpConfig getLive() {
            return live;
        }

        /** The draft being tried while SSO is enforced, or {@code null}. */
        public IdpConfig getDraft() {
            return draft;
        }

        /** What the forms show and "Update and Test" tries: the draft when there is one, else the live one. */
        public IdpConfig getWorking() {
            return draft != null ? draft : live;
        }

        public boolean isHasDraft() {
            return draft != null;
        }

        /** The working configuration's SAML signing certificate, parsed, or {@code null}. */
        public IdpCertificate getCertificate() {
            return certificate;
        }

        public SsoTestResult getLastTest() {
            return lastTest;
        }

        /** Which configuration the viewer's last test tried: "live", "draft", or "earlier". */
        public String getLastTestTried() {
            if (lastTest == null) {
                return null;
            }
            if (draft != null && lastTest.getConfigVersion() == draft.version()) {
                return "draft";
            }
            return lastTest.getConfigVersion() == live.version() ? "live" : "earlier";
        }

        /** Whether the email the IdP vouched for in the viewer's last test is a verified email of the viewer. */
        public boolean isLastTestMatchesViewer() {
            return lastTestMatchesViewer;
        }

        /** Whether the email of the viewer's last passed test is in the organization's matching email domains. */
        public boolean isLastTestInDomains() {
            return lastTestInDomains;
        }

        /** Whether the viewer may enable: a passing test of the live configuration, as one of their own emails. */
        public boolean isTestedByViewer() {
            return liveTestedByViewer;
        }

        /** Whether the viewer may apply the draft: a passing test of it, as one of their own emails. */
        public boolean isDraftTestedByViewer() {
            return draftTestedByViewer;
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public View view(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        Optional<SsoDraft> draft = draftOf(org);
        IdpConfig working = draft.map(SsoDraft::config).orElse(settings.config());
        IdpCertificate certificate = working.saml().getCertificatePem() == null ? null
                : IdpCertificate.parse("certificate", working.saml().getCertificatePem(), Instant.MIN);
        Long me = viewer.getAccountId();
        List<SsoTestResult> tests = em.createQuery("select t from SsoTestResult t where t.orgId = :o"
                + " and t.accountId = :a order by t.createdAt desc, t.id desc", SsoTestResult.class)
                .setParameter("o", org.getId()).setParameter("a", me).setMaxResults(1).getResultList();
        SsoTestResult last = tests.isEmpty() ? null : tests.get(0);
        boolean matches = last != null && last.isPassed() && isVerifiedEmailOf(me, last.getIdpEmail());
        boolean inDomains = last != null && last.isPassed() && settings.emailDomains().allows(last.getIdpEmail());
        return new View(org, settings, draft.map(SsoDraft::config).orElse(null), certificate, last, matches,
                inDomains, passedAsOneself(org, settings.getConfigVersion(), me),
                draft.isPresent() && passedAsOneself(org, draft.get().getVersion(), me));
    }

    /** Saves the SAML configuration (live, or the draft while SSO is enforced) and makes SAML the protocol. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig saveSaml(@OrgName String orgName, String signOnUrl, String idpIssuer, String certificate,
            String emailAttribute, Integer clockSkewSeconds, boolean allowSha1) {
        Organization org = contexts.guarded(orgName).org();
        String url = SignOnUrls.require("signOnUrl", signOnUrl).toString();
        String issuer = Fields.required("idpIssuer", idpIssuer, MAX_ISSUER, "Required: the IdP's entity ID / issuer.");
        IdpCertificate cert = IdpCertificate.parse("certificate", certificate, clock.now());
        String attribute = Fields.optional("emailAttribute", emailAttribute, 200, SamlConfig.DEFAULT_EMAIL_ATTRIBUTE);
        Duration skew = skewOf(clockSkewSeconds);
        OrgSsoSettings settings = settingsOf(org);
        IdpConfig working = draftOf(org).map(SsoDraft::config).orElse(settings.config());
        return store(org, settings, working.withSaml(new SamlConfig(url, issuer, cert.pem(), attribute, allowSha1),
                skew));
    }

    /**
     * Saves the OpenID Connect configuration (live, or the draft while SSO is enforced) and makes OIDC the
     * protocol. The issuer's discovery document is fetched (bounded by {@link OidcDiscovery#TIMEOUT}) and checked
     * now, and stored: signing in never waits for discovery. The client secret is write-only: blank keeps the
     * stored one; it is sealed at rest and never shown, logged or put in the audit diff.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig saveOidc(@OrgName String orgName, String issuerUrl, String clientId, String clientSecret,
            String scopes, String emailClaim, boolean requireEmailVerified, Integer clockSkewSeconds) {
        Organization org = contexts.guarded(orgName).org();
        String issuer = SignOnUrls.require("issuerUrl", issuerUrl).toString();
        String client = Fields.required("clientId", clientId, 500, "Required: the client ID the IdP issued (at most"
                + " 500 characters).");
        if (clientSecret != null && (clientSecret.length() > 1000
                || clientSecret.chars().anyMatch(Character::isISOControl))) {
            throw new ValidationException("clientSecret", "Use at most 1000 characters, no control characters.");
        }
        String scope = scopes == null || scopes.isBlank() ? OidcConfig.DEFAULT_SCOPES
                : String.join(" ", scopes.strip().split("\\s+"));
        if (scope.length() > 500 || !scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*")
                || !List.of(scope.split(" ")).contains("openid")) {
            throw new ValidationException("scopes", "Space-separated scopes, including openid (e.g. \""
                    + OidcConfig.DEFAULT_SCOPES + "\").");
        }
        String claim = Fields.optional("emailClaim", emailClaim, 200, OidcConfig.DEFAULT_EMAIL_CLAIM);
        Duration skew = skewOf(clockSkewSeconds);
        String metadata = OidcDiscovery.fetch("issuerUrl", issuer, outbound.http());
        OrgSsoSettings settings = settingsOf(org);
        IdpConfig working = draftOf(org).map(SsoDraft::config).orElse(settings.config());
        String sealed = clientSecret == null || clientSecret.isEmpty() ? working.oidc().getSealedClientSecret()
                : secrets.sealOidcSecret(org.getId(), clientSecret);
        OidcDiscovery.requireClientAuthentication(sealed == null ? "clientSecret" : "issuerUrl", metadata,
                sealed != null);
        return store(org, settings, working.withOidc(new OidcConfig(issuer, client, sealed, scope, claim,
                requireEmailVerified, metadata), skew));
    }

    /**
     * Stores a configuration an admin saved. Not enforced: it is live at once. Enforced: it becomes the draft (or, the
     * same as the live one, there is no draft any more); members keep the live configuration.
     */
    private IdpConfig store(Organization org, OrgSsoSettings settings, IdpConfig candidate) {
        IdpConfig live = settings.config();
        Optional<SsoDraft> draft = draftOf(org);
        if (!settings.isEnabled()) {
            draft.ifPresent(em::remove);
            Map<String, Object> diff = candidate.diff(live, SsoSettingsService::fingerprint);
            if (!diff.isEmpty()) {
                settings.apply(candidate, settings.nextVersion(), clock.now());
                audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.settings", diff);
            }
            return settings.config();
        }
        if (candidate.sameAs(live)) {
            draft.ifPresent(d -> {
                em.remove(d);
                audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.draft",
                        Map.of("discarded", d.getVersion(), "why", "saved the same as the live configuration"));
            });
            return live;
        }
        if (draft.isPresent() && candidate.sameAs(draft.get().config())) {
            return draft.get().config();
        }
        SsoDraft saved = draft.orElseGet(() -> {
            SsoDraft d = new SsoDraft(org.getId());
            em.persist(d);
            return d;
        });
        long version = settings.nextVersion();
        saved.save(candidate, version, viewer.getAccountId(), clock.now());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("draftVersion", version);
        detail.putAll(candidate.diff(live, SsoSettingsService::fingerprint));
        audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.draft", detail);
        return saved.config();
    }

    /**
     * Makes the draft live: only after the acting admin's own passing test of this very draft, signed in at the IdP
     * as one of the admin's verified emails, and only when the role mapping keeps the admin an admin.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void applyDraft(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        SsoDraft draft = draftOf(org).orElseThrow(() -> new ValidationException("apply", "There is no draft to"
                + " apply: the live configuration is the one shown."));
        requireOwnPassingTest(org, draft.getVersion(), "apply", "applying it");
        policies.requireAdminKept(org, settings.roleMapping(), viewer.getAccountId(), "apply");
        IdpConfig before = settings.config();
        IdpConfig applied = draft.config();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("appliedDraft", draft.getVersion());
        detail.putAll(applied.diff(before, SsoSettingsService::fingerprint));
        settings.apply(applied, draft.getVersion(), clock.now());
        em.remove(draft);
        audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.settings", detail);
    }

    /** Throws the draft away; members keep the live configuration, which they never stopped using. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void discardDraft(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        draftOf(org).ifPresent(d -> {
            em.remove(d);
            audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.draft", Map.of("discarded", d.getVersion()));
        });
    }

    private static Duration skewOf(Integer clockSkewSeconds) {
        int skew = clockSkewSeconds == null ? (int) OrgSsoSettings.DEFAULT_CLOCK_SKEW.toSeconds() : clockSkewSeconds;
        if (skew < 0 || skew > OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()) {
            throw new ValidationException("clockSkew", "Use 0 to " + OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()
                    + " seconds.");
        }
        return Duration.ofSeconds(skew);
    }

    /** Reads Sign-On URL (HTTP-Redirect), issuer and signing certificate from IdP metadata XML. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpMetadata readMetadata(@OrgName String orgName, String xml) {
        return IdpMetadata.read("metadata", xml);
    }

    /**
     * Enabling needs the acting admin's own passing test of the live configuration, signed in at the IdP as one of
     * the admin's verified emails: otherwise the admin would be locked out of these settings at once.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void enable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        if (!settings.isConfigured()) {
            throw new ValidationException("enable", "Configure single sign-on first.");
        }
        requireOwnPassingTest(org, settings.getConfigVersion(), "enable", "enabling single sign-on");
        policies.requireAdminKept(org, settings.roleMapping(), viewer.getAccountId(), "enable");
        if (!settings.isEnabled()) {
            settings.setEnabled(true, clock.now());
            audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.enable",
                    Map.of("configVersion", settings.getConfigVersion()));
        }
    }

    /** Disabling makes a draft live, as any save is while SSO is not enforced. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void disable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        if (settings.isEnabled()) {
            settings.setEnabled(false, clock.now());
            audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.disable", null);
            draftOf(org).ifPresent(d -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("fromDraft", d.getVersion());
                detail.putAll(d.config().diff(settings.config(), SsoSettingsService::fingerprint));
                settings.apply(d.config(), d.getVersion(), clock.now());
                em.remove(d);
                audit.recordSetting(org.getId(), viewer.getAccountId(), "sso.settings", detail);
            });
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<SsoAuditEntry> audit(@OrgName String orgName, int max) {
        Organization org = contexts.guarded(orgName).org();
        return new ArrayList<>(audit.recent(org.getId(), max));
    }

    /**
     * Refuses unless the acting admin's newest passing test of configuration {@code version} exists and signed the
     * admin in at the IdP as one of the admin's verified emails.
     */
    private void requireOwnPassingTest(Organization org, long version, String field, String doing) {
        Long me = viewer.getAccountId();
        Optional<SsoTestResult> test = ownPassingTest(org, version, me);
        if (test.isEmpty()) {
            throw new ValidationException(field, "Run \"Update and Test\" with the current configuration, and pass"
                    + " it, before " + doing + ".");
        }
        String email = test.get().getIdpEmail();
        EmailDomains domains = settingsOf(org).emailDomains();
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

    /** The account's newest passing test of configuration {@code version}. */
    private Optional<SsoTestResult> ownPassingTest(Organization org, long version, Long accountId) {
        return em.createQuery("select t from SsoTestResult t where t.orgId = :o and t.accountId = :a"
                + " and t.configVersion = :v and t.passed = true order by t.createdAt desc, t.id desc",
                SsoTestResult.class).setParameter("o", org.getId()).setParameter("a", accountId)
                .setParameter("v", version).setMaxResults(1).getResultList().stream().findFirst();
    }

    /**
     * Whether the account's newest passing test of {@code version} signed it in as one of its verified emails, in the
     * organization's matching email domains.
     */
    private boolean passedAsOneself(Organization org, long version, Long accountId) {
        EmailDomains domains = settingsOf(org).emailDomains();
        return ownPassingTest(org, version, accountId).filter(t -> isVerifiedEmailOf(accountId, t.getIdpEmail())
                && domains.allows(t.getIdpEmail())).isPresent();
    }

    private boolean isVerifiedEmailOf(Long accountId, String email) {
        return email != null && accounts.emails(accountId).stream().anyMatch(e -> e.isVerified()
                && Names.emailKey(e.getAddress()).equals(Names.emailKey(email)));
    }

    private Optional<SsoDraft> draftOf(Organization org) {
        return Optional.ofNullable(em.find(SsoDraft.class, org.getId()));
    }

    private OrgSsoSettings settingsOf(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (settings == null) {
            settings = new OrgSsoSettings(org.getId(), clock.now());
            em.persist(settings);
        }
        return settings;
    }

    private static String fingerprint(String pem) {
        return IdpCertificate.parse("certificate", pem, Instant.MIN).sha256Fingerprint();
    }
}
