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
import java.util.Objects;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.saml.IdpCertificate;
import org.hubsso.sso.saml.IdpMetadata;

/** The SSO settings of an organization, for its admins only. Every change is audited with a field-level diff. */
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

    /** Everything the settings page shows (a bean, for Faces EL). */
    public static final class View {
        private final Organization org;
        private final OrgSsoSettings settings;
        private final IdpCertificate certificate;
        private final SsoTestResult lastTest;
        private final boolean testedByViewer;

        View(Organization org, OrgSsoSettings settings, IdpCertificate certificate, SsoTestResult lastTest,
                boolean testedByViewer) {
            this.org = org;
            this.settings = settings;
            this.certificate = certificate;
            this.lastTest = lastTest;
            this.testedByViewer = testedByViewer;
        }

        public Organization getOrg() {
            return org;
        }

        public OrgSsoSettings getSettings() {
            return settings;
        }

        public IdpCertificate getCertificate() {
            return certificate;
        }

        public SsoTestResult getLastTest() {
            return lastTest;
        }

        public boolean isTestedByViewer() {
            return testedByViewer;
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public View view(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        IdpCertificate certificate = null;
        if (settings.getSamlIdpCertificate() != null) {
            certificate = IdpCertificate.parse("certificate", settings.getSamlIdpCertificate(), Instant.MIN);
        }
        List<SsoTestResult> tests = em.createQuery("select t from SsoTestResult t where t.orgId = :o"
                + " and t.accountId = :a order by t.createdAt desc, t.id desc", SsoTestResult.class)
                .setParameter("o", org.getId()).setParameter("a", viewer.getAccountId()).setMaxResults(1)
                .getResultList();
        return new View(org, settings, certificate, tests.isEmpty() ? null : tests.get(0),
                settings.isTestedBy(viewer.getAccountId()));
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public OrgSsoSettings saveSaml(@OrgName String orgName, String signOnUrl, String idpIssuer, String certificate,
            String emailAttribute, Integer clockSkewSeconds) {
        Organization org = contexts.guarded(orgName).org();
        String url = SignOnUrls.require("signOnUrl", signOnUrl).toString();
        String issuer = idpIssuer == null ? "" : idpIssuer.strip();
        if (issuer.isEmpty()) {
            throw new ValidationException("idpIssuer", "Required: the IdP's entity ID / issuer.");
        }
        if (issuer.length() > MAX_ISSUER || issuer.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("idpIssuer", "Use at most " + MAX_ISSUER + " characters, no control"
                    + " characters.");
        }
        IdpCertificate cert = IdpCertificate.parse("certificate", certificate, clock.now());
        String attribute = emailAttribute == null || emailAttribute.isBlank() ? "email" : emailAttribute.strip();
        if (attribute.length() > 200 || attribute.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("emailAttribute", "Use at most 200 characters.");
        }
        int skew = clockSkewSeconds == null ? (int) OrgSsoSettings.DEFAULT_CLOCK_SKEW.toSeconds() : clockSkewSeconds;
        if (skew < 0 || skew > OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()) {
            throw new ValidationException("clockSkew", "Use 0 to " + OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()
                    + " seconds.");
        }
        OrgSsoSettings settings = settingsOf(org);
        Map<String, Object> diff = new LinkedHashMap<>();
        change(diff, "signOnUrl", settings.getSamlSignOnUrl(), url);
        change(diff, "idpIssuer", settings.getSamlIdpIssuer(), issuer);
        String oldFingerprint = settings.getSamlIdpCertificate() == null ? null
                : IdpCertificate.parse("certificate", settings.getSamlIdpCertificate(), Instant.MIN).sha256Fingerprint();
        change(diff, "certificateSha256", oldFingerprint, cert.sha256Fingerprint());
        change(diff, "emailAttribute", settings.getSamlEmailAttribute(), attribute);
        change(diff, "clockSkewSeconds", settings.getClockSkew().toSeconds(), (long) skew);
        settings.configureSaml(url, issuer, cert.pem(), attribute, false, Duration.ofSeconds(skew), clock.now());
        if (!diff.isEmpty()) {
            audit.record(org.getId(), viewer.getAccountId(), "sso.settings", "success", null, diff);
        }
        return settings;
    }

    /** Reads Sign-On URL (HTTP-Redirect), issuer and signing certificate from IdP metadata XML. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpMetadata readMetadata(@OrgName String orgName, String xml) {
        return IdpMetadata.read("metadata", xml);
    }

    /** Enabling needs a passed test of the current configuration by this admin. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void enable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        if (!settings.isConfigured()) {
            throw new ValidationException("enable", "Configure single sign-on first.");
        }
        if (!settings.isTestedBy(viewer.getAccountId())) {
            throw new ValidationException("enable", "Run \"Update and Test\" with the current configuration, and"
                    + " pass it, before enabling single sign-on.");
        }
        policies.requireAdminKept(org, settings.roleMapping(), viewer.getAccountId(), "enable");
        if (!settings.isEnabled()) {
            settings.setEnabled(true, clock.now());
            audit.record(org.getId(), viewer.getAccountId(), "sso.enable", "success", null,
                    Map.of("configVersion", settings.getConfigVersion()));
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public void disable(@OrgName String orgName) {
        Organization org = contexts.guarded(orgName).org();
        OrgSsoSettings settings = settingsOf(org);
        if (settings.isEnabled()) {
            settings.setEnabled(false, clock.now());
            audit.record(org.getId(), viewer.getAccountId(), "sso.disable", "success", null, null);
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<SsoAuditEntry> audit(@OrgName String orgName, int max) {
        Organization org = contexts.guarded(orgName).org();
        return new ArrayList<>(audit.recent(org.getId(), max));
    }

    private OrgSsoSettings settingsOf(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (settings == null) {
            settings = new OrgSsoSettings(org.getId(), clock.now());
            em.persist(settings);
        }
        return settings;
    }

    private static void change(Map<String, Object> diff, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            diff.put(field, before + " -> " + after);
        }
    }
}
