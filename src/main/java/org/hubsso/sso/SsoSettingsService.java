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
import org.hubsso.sso.oidc.OidcDiscovery;
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

    @Inject
    SsoSecrets secrets;

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
            String emailAttribute, Integer clockSkewSeconds, boolean allowSha1) {
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
        int skew = skewOf(clockSkewSeconds);
        OrgSsoSettings settings = settingsOf(org);
        Map<String, Object> diff = new LinkedHashMap<>();
        change(diff, "protocol", settings.getProtocol(), SsoProtocol.SAML);
        change(diff, "signOnUrl", settings.getSamlSignOnUrl(), url);
        change(diff, "idpIssuer", settings.getSamlIdpIssuer(), issuer);
        String oldFingerprint = settings.getSamlIdpCertificate() == null ? null
                : IdpCertificate.parse("certificate", settings.getSamlIdpCertificate(), Instant.MIN).sha256Fingerprint();
        change(diff, "certificateSha256", oldFingerprint, cert.sha256Fingerprint());
        change(diff, "emailAttribute", settings.getSamlEmailAttribute(), attribute);
        change(diff, "clockSkewSeconds", settings.getClockSkew().toSeconds(), (long) skew);
        change(diff, "allowSha1", settings.isSamlAllowSha1(), allowSha1);
        settings.configureSaml(url, issuer, cert.pem(), attribute, allowSha1, Duration.ofSeconds(skew), clock.now());
        if (!diff.isEmpty()) {
            audit.record(org.getId(), viewer.getAccountId(), "sso.settings", "success", null, diff);
        }
        return settings;
    }

    /**
     * Saves the OpenID Connect configuration and makes OIDC the organization's protocol. The issuer's discovery
     * document is fetched (bounded by {@link OidcDiscovery#TIMEOUT}) and checked now, and stored: signing in never
     * waits for discovery. The client secret is write-only: blank keeps the stored one; it is sealed at rest and
     * never shown, logged or put in the audit diff.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public OrgSsoSettings saveOidc(@OrgName String orgName, String issuerUrl, String clientId, String clientSecret,
            String scopes, String emailClaim, boolean requireEmailVerified, Integer clockSkewSeconds) {
        Organization org = contexts.guarded(orgName).org();
        String issuer = SignOnUrls.require("issuerUrl", issuerUrl).toString();
        String client = clientId == null ? "" : clientId.strip();
        if (client.isEmpty() || client.length() > 500 || client.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("clientId", "Required: the client ID the IdP issued (at most 500"
                    + " characters).");
        }
        if (clientSecret != null && (clientSecret.length() > 1000
                || clientSecret.chars().anyMatch(Character::isISOControl))) {
            throw new ValidationException("clientSecret", "Use at most 1000 characters, no control characters.");
        }
        String scope = scopes == null || scopes.isBlank() ? OrgSsoSettings.DEFAULT_OIDC_SCOPES
                : String.join(" ", scopes.strip().split("\\s+"));
        if (scope.length() > 500 || !scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*")
                || !List.of(scope.split(" ")).contains("openid")) {
            throw new ValidationException("scopes", "Space-separated scopes, including openid (e.g. \""
                    + OrgSsoSettings.DEFAULT_OIDC_SCOPES + "\").");
        }
        String claim = emailClaim == null || emailClaim.isBlank() ? "email" : emailClaim.strip();
        if (claim.length() > 200 || claim.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("emailClaim", "Use at most 200 characters.");
        }
        int skew = skewOf(clockSkewSeconds);
        String metadata = OidcDiscovery.fetch("issuerUrl", issuer);
        OrgSsoSettings settings = settingsOf(org);
        String sealed = clientSecret == null || clientSecret.isEmpty() ? settings.getOidcClientSecret()
                : secrets.sealOidcSecret(org.getId(), clientSecret);
        OidcDiscovery.requireClientAuthentication(sealed == null ? "clientSecret" : "issuerUrl", metadata,
                sealed != null);
        Map<String, Object> diff = new LinkedHashMap<>();
        change(diff, "protocol", settings.getProtocol(), SsoProtocol.OIDC);
        change(diff, "issuerUrl", settings.getOidcIssuer(), issuer);
        change(diff, "clientId", settings.getOidcClientId(), client);
        if (!Objects.equals(sealed, settings.getOidcClientSecret())) {
            diff.put("clientSecret", "changed");
        }
        change(diff, "scopes", settings.getOidcScopes(), scope);
        change(diff, "emailClaim", settings.getOidcEmailClaim(), claim);
        change(diff, "requireEmailVerified", settings.isOidcRequireEmailVerified(), requireEmailVerified);
        change(diff, "clockSkewSeconds", settings.getClockSkew().toSeconds(), (long) skew);
        if (!Objects.equals(metadata, settings.getOidcMetadata())) {
            diff.put("discovery", "fetched");
        }
        settings.configureOidc(issuer, client, sealed, scope, claim, requireEmailVerified, metadata,
                Duration.ofSeconds(skew), clock.now());
        if (!diff.isEmpty()) {
            audit.record(org.getId(), viewer.getAccountId(), "sso.settings", "success", null, diff);
        }
        return settings;
    }

    private static int skewOf(Integer clockSkewSeconds) {
        int skew = clockSkewSeconds == null ? (int) OrgSsoSettings.DEFAULT_CLOCK_SKEW.toSeconds() : clockSkewSeconds;
        if (skew < 0 || skew > OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()) {
            throw new ValidationException("clockSkew", "Use 0 to " + OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()
                    + " seconds.");
        }
        return skew;
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
