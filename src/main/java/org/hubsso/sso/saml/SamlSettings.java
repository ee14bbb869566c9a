package org.hubsso.sso.saml;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.Fields;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SamlConfig;
import org.hubsso.sso.SignOnUrls;
import org.hubsso.sso.SpKey;
import org.hubsso.sso.SpKeySet;
import org.hubsso.sso.SpKeys;
import org.hubsso.sso.SsoConfigs;
import org.hubsso.sso.SsoKeys;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.SsoSettingsService;

/**
 * The SAML fields of an organization's SSO settings, for its admins: checked here, then stored by the core
 * ({@link SsoSettingsService#save}: live, or the draft while SSO is enforced, audited with a diff). The trusted
 * certificates can also be changed on the live configuration directly, for a rollover: adding the IdP's next
 * certificate keeps every way in; removing one is refused for the last, and needs a confirmation for the one that
 * verified the newest sign-in.
 */
@ApplicationScoped
public class SamlSettings {

    public static final int MAX_ISSUER = 1000;

    @Inject
    SsoSettingsService settings;

    @Inject
    SsoConfigs configs;

    @Inject
    SsoKeys keys;

    @Inject
    SpKeys spKeys;

    @Inject
    SamlMetadataRefresh metadata;

    @Inject
    OrgContexts contexts;

    @Inject
    Viewer viewer;

    @Inject
    HubClock clock;

    /**
     * Saves the SAML configuration and makes SAML the protocol. With an IdP metadata URL, the metadata is fetched now
     * and gives what the form leaves blank (Sign-On URL, issuer); its signing certificates are trusted besides any
     * pasted ones, and it is refreshed from then on. AuthnRequests are signed when {@code signRequests}, and always
     * when the fetched metadata says the IdP wants them signed.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig save(@OrgName String orgName, String signOnUrl, String idpIssuer, String certificate,
            String emailAttribute, Integer clockSkewSeconds, boolean allowSha1, String metadataUrl,
            boolean signRequests) {
        String metaUrl = metadataUrl == null || metadataUrl.isBlank() ? null
                : SignOnUrls.require("metadataUrl", metadataUrl).toString();
        IdpMetadata fetched = metaUrl == null ? null : metadata.read(metaUrl);
        String url = fetched != null && (signOnUrl == null || signOnUrl.isBlank()) ? fetched.signOnUrl()
                : signOnUrl;
        url = SignOnUrls.require("signOnUrl", url).toString();
        String issuer = fetched != null && (idpIssuer == null || idpIssuer.isBlank()) ? fetched.idpIssuer()
                : Fields.required("idpIssuer", idpIssuer, MAX_ISSUER, "Required: the IdP's entity ID / issuer.");
        if (fetched != null && !fetched.idpIssuer().equals(issuer)) {
            throw new ValidationException("metadataUrl", "The metadata names the entity ID " + fetched.idpIssuer()
                    + ", not " + issuer + ".");
        }
        Map<String, IdpCertificate> trusted = new LinkedHashMap<>();
        if (fetched == null || (certificate != null && !certificate.isBlank())) {
            IdpCertificate.parseAll("certificate", certificate, clock.now())
                    .forEach(c -> trusted.put(c.sha256Fingerprint(), c));
        }
        if (fetched != null) {
            fetched.certificates().stream().filter(c -> c.notAfter().isAfter(clock.now()))
                    .forEach(c -> trusted.putIfAbsent(c.sha256Fingerprint(), c));
            if (trusted.isEmpty()) {
                throw new ValidationException("metadataUrl", "Every signing certificate in the metadata has expired.");
            }
        }
        if (trusted.size() > IdpCertificate.MAX_TRUSTED) {
            throw new ValidationException("certificate", "Trust at most " + IdpCertificate.MAX_TRUSTED
                    + " certificates.");
        }
        String attribute = Fields.optional("emailAttribute", emailAttribute, 200, SamlConfig.DEFAULT_EMAIL_ATTRIBUTE);
        Duration skew = Fields.clockSkew("clockSkew", clockSkewSeconds);
        SamlConfig saml = new SamlConfig(url, issuer, IdpCertificate.pems(new ArrayList<>(trusted.values())),
                attribute, allowSha1, metaUrl, signRequests || fetched != null && fetched.wantsSignedRequests());
        IdpConfig saved = settings.save(orgName, (org, working) -> working.withSaml(saml, skew));
        if (metaUrl != null) {
            metadata.ensureState(contexts.guarded(orgName).org());
        }
        return saved;
    }

    /** Reads Sign-On URL (HTTP-Redirect), issuer and signing certificates from IdP metadata XML. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpMetadata readMetadata(@OrgName String orgName, String xml) {
        return IdpMetadata.read("metadata", xml);
    }

    /**
     * Reads the IdP's metadata from its URL (Keycloak, Entra ID, Okta, ADFS and SimpleSAMLphp all publish one), for
     * the form to start from: Sign-On URL, issuer, signing certificates, whether signed requests are wanted.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpMetadata readMetadataUrl(@OrgName String orgName, String url) {
        if (url == null || url.isBlank()) {
            throw new ValidationException("metadataUrl", "Enter the IdP's metadata URL.");
        }
        return metadata.read(SignOnUrls.require("metadataUrl", url).toString());
    }

    /** Adds the IdP's next signing certificate to the live configuration, beside the current ones. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig addCertificate(@OrgName String orgName, String pem) {
        Organization org = contexts.guarded(orgName).org();
        IdpConfig live = liveSaml(org, "nextCertificate");
        Map<String, IdpCertificate> trusted = new LinkedHashMap<>();
        live.saml().certificates().forEach(c -> trusted.put(c.sha256Fingerprint(), c));
        List<String> added = new ArrayList<>();
        for (IdpCertificate cert : IdpCertificate.parseAll("nextCertificate", pem, clock.now())) {
            if (trusted.putIfAbsent(cert.sha256Fingerprint(), cert) == null) {
                added.add(cert.sha256Fingerprint());
            }
        }
        if (added.isEmpty()) {
            throw new ValidationException("nextCertificate", "This certificate is trusted already.");
        }
        if (trusted.size() > IdpCertificate.MAX_TRUSTED) {
            throw new ValidationException("nextCertificate", "Trust at most " + IdpCertificate.MAX_TRUSTED
                    + " certificates: remove one the IdP no longer signs with first.");
        }
        return settings.changeLive(org, viewer.getAccountId(), withCertificates(live, trusted.values()),
                Map.of("certificate", "added"));
    }

    /**
     * Removes a trusted certificate from the live configuration. The last one cannot go; the one that verified the
     * newest sign-in only with {@code confirmed} (the IdP may still sign with it).
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public IdpConfig removeCertificate(@OrgName String orgName, String fingerprint, boolean confirmed) {
        Organization org = contexts.guarded(orgName).org();
        IdpConfig live = liveSaml(org, "certificates");
        List<IdpCertificate> trusted = new ArrayList<>(live.saml().certificates());
        if (!trusted.removeIf(c -> c.sha256Fingerprint().equals(fingerprint))) {
            throw new ValidationException("certificates", "This certificate is not trusted.");
        }
        if (trusted.isEmpty()) {
            throw new ValidationException("certificates", "This is the only trusted certificate: without it no"
                    + " sign-in could be verified. Add the IdP's new certificate first.");
        }
        if (!confirmed && fingerprint.equals(keys.lastUsed(org))) {
            throw new ValidationException("confirmRemove", "This certificate verified the most recent successful"
                    + " sign-in: if the IdP still signs with it, every sign-in fails once it is removed. Remove it"
                    + " anyway only when the IdP signs with another trusted certificate.");
        }
        return settings.changeLive(org, viewer.getAccountId(), withCertificates(live, trusted),
                Map.of("certificate", "removed"));
    }

    /** The organization's own keys, published in its SP metadata (made now when it has none yet). */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SpKeySet spKeys(@OrgName String orgName) {
        return spKeys.of(contexts.guarded(orgName).org());
    }

    /** Publishes a next SP key of this use beside the active one (a rollover's first step), audited. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SpKey prepareNextSpKey(@OrgName String orgName, SpKey.Use use) {
        return spKeys.prepareNext(contexts.guarded(orgName).org(), use, viewer.getAccountId());
    }

    /** Makes the next SP key of this use the active one (a rollover's second step), audited. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SpKey activateNextSpKey(@OrgName String orgName, SpKey.Use use) {
        return spKeys.activateNext(contexts.guarded(orgName).org(), use, viewer.getAccountId());
    }

    /** Refreshes the live configuration from the IdP's metadata URL now. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SamlMetadataRefresh.Outcome refreshNow(@OrgName String orgName) {
        return metadata.refresh(contexts.guarded(orgName).org(), "admin");
    }

    /** How the refreshes from the metadata URL went, or {@code null} when there is none. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public SamlMetadataRefresh.Status metadataStatus(@OrgName String orgName) {
        return metadata.status(contexts.guarded(orgName).org());
    }

    /** How often the metadata is read again. */
    public Duration metadataRefreshEvery() {
        return metadata.interval();
    }

    /** Whether this server's Java XML signature policy lets an organization allow SHA-1 ({@link LegacySha1}). */
    public boolean serverAllowsSha1() {
        return LegacySha1.jvmAllows();
    }

    private IdpConfig liveSaml(Organization org, String field) {
        if (configs.draftOf(org).isPresent()) {
            throw new ValidationException(field, "A draft is under test: apply or discard it first, so that the"
                    + " certificates members sign in with and the draft's do not part ways.");
        }
        IdpConfig live = configs.settingsOf(org).config();
        if (live.protocol() != SsoProtocol.SAML || live.saml().certificates().isEmpty()) {
            throw new ValidationException(field, "Configure SAML first.");
        }
        return live;
    }

    private static IdpConfig withCertificates(IdpConfig live, java.util.Collection<IdpCertificate> certificates) {
        return live.withSaml(live.saml().with(live.saml().getSignOnUrl(), new ArrayList<>(certificates)),
                live.clockSkew());
    }
}
