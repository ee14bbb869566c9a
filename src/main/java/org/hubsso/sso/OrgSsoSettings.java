package org.hubsso.sso;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.hubsso.hub.Role;

/** Single sign-on settings of one organization (one row per organization that has touched them). */
@Entity
@Table(name = "org_sso_settings")
public class OrgSsoSettings {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofDays(7);
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofDays(90);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    public static final String DEFAULT_OIDC_SCOPES = "openid email profile";

    @Id
    @Column(name = "org_id")
    private Long orgId;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "session_timeout_seconds", nullable = false)
    private long sessionTimeoutSeconds;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Enumerated(EnumType.STRING)
    @Column(length = 8)
    private SsoProtocol protocol;

    @Column(name = "saml_sign_on_url", length = 2000)
    private String samlSignOnUrl;

    @Column(name = "saml_idp_issuer", length = 1000)
    private String samlIdpIssuer;

    @Column(name = "saml_idp_certificate", length = 16384)
    private String samlIdpCertificate;

    @Column(name = "saml_email_attribute", nullable = false, length = 200)
    private String samlEmailAttribute = "email";

    @Column(name = "saml_allow_sha1", nullable = false)
    private boolean samlAllowSha1;

    @Column(name = "oidc_issuer", length = 1000)
    private String oidcIssuer;

    @Column(name = "oidc_client_id", length = 500)
    private String oidcClientId;

    /** Sealed by {@link SsoSecrets}; never shown, logged or audited. */
    @Column(name = "oidc_client_secret", length = 2000)
    private String oidcClientSecret;

    @Column(name = "oidc_scopes", nullable = false, length = 500)
    private String oidcScopes = DEFAULT_OIDC_SCOPES;

    @Column(name = "oidc_email_claim", nullable = false, length = 200)
    private String oidcEmailClaim = "email";

    @Column(name = "oidc_require_email_verified", nullable = false)
    private boolean oidcRequireEmailVerified = true;

    /** The discovery document as fetched and checked when the settings were saved. */
    @Column(name = "oidc_metadata", length = 32000)
    private String oidcMetadata;

    @Column(name = "clock_skew_seconds", nullable = false)
    private int clockSkewSeconds = (int) DEFAULT_CLOCK_SKEW.toSeconds();

    /** Bumped by every configuration change. */
    @Column(name = "config_version", nullable = false)
    private long configVersion;

    @Column(name = "tested_version")
    private Long testedVersion;

    @Column(name = "tested_by")
    private Long testedBy;

    @Column(name = "tested_at")
    private Instant testedAt;

    @Column(name = "role_mapping_enabled", nullable = false)
    private boolean roleMappingEnabled;

    @Column(name = "role_mapping_path", length = 500)
    private String roleMappingPath;

    /** IdP value to role, for the role mapping. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sso_role_mapping", joinColumns = @JoinColumn(name = "org_id"))
    @MapKeyColumn(name = "idp_value", length = 500)
    @Enumerated(EnumType.STRING)
    @Column(name = "member_role", length = 16, nullable = false)
    private Map<String, Role> roleMappings = new TreeMap<>();

    @Version
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    protected OrgSsoSettings() {
    }

    public OrgSsoSettings(Long orgId, Instant now) {
        this.orgId = orgId;
        this.sessionTimeoutSeconds = DEFAULT_SESSION_TIMEOUT.toSeconds();
        this.updatedAt = now;
    }

    public Long getOrgId() {
        return orgId;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled, Instant now) {
        this.enabled = enabled;
        this.updatedAt = now;
    }

    public Duration getSessionTimeout() {
        return Duration.ofSeconds(sessionTimeoutSeconds);
    }

    public void setSessionTimeout(Duration timeout, Instant now) {
        this.sessionTimeoutSeconds = timeout.toSeconds();
        this.updatedAt = now;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Replaces the SAML configuration; any change invalidates earlier tests. */
    public void configureSaml(String signOnUrl, String idpIssuer, String certificatePem, String emailAttribute,
            boolean allowSha1, Duration clockSkew, Instant now) {
        boolean changed = protocol != SsoProtocol.SAML || !java.util.Objects.equals(samlSignOnUrl, signOnUrl)
                || !java.util.Objects.equals(samlIdpIssuer, idpIssuer)
                || !java.util.Objects.equals(samlIdpCertificate, certificatePem)
                || !java.util.Objects.equals(samlEmailAttribute, emailAttribute) || samlAllowSha1 != allowSha1
                || clockSkewSeconds != clockSkew.toSeconds();
        this.protocol = SsoProtocol.SAML;
        this.samlSignOnUrl = signOnUrl;
        this.samlIdpIssuer = idpIssuer;
        this.samlIdpCertificate = certificatePem;
        this.samlEmailAttribute = emailAttribute;
        this.samlAllowSha1 = allowSha1;
        this.clockSkewSeconds = (int) clockSkew.toSeconds();
        if (changed) {
            configVersion++;
        }
        this.updatedAt = now;
    }

    /** Replaces the OpenID Connect configuration and makes it the active protocol; any change invalidates tests. */
    public void configureOidc(String issuer, String clientId, String sealedSecret, String scopes, String emailClaim,
            boolean requireEmailVerified, String metadata, Duration clockSkew, Instant now) {
        boolean changed = protocol != SsoProtocol.OIDC || !java.util.Objects.equals(oidcIssuer, issuer)
                || !java.util.Objects.equals(oidcClientId, clientId)
                || !java.util.Objects.equals(oidcClientSecret, sealedSecret)
                || !java.util.Objects.equals(oidcScopes, scopes) || !java.util.Objects.equals(oidcEmailClaim, emailClaim)
                || oidcRequireEmailVerified != requireEmailVerified || !java.util.Objects.equals(oidcMetadata, metadata)
                || clockSkewSeconds != clockSkew.toSeconds();
        this.protocol = SsoProtocol.OIDC;
        this.oidcIssuer = issuer;
        this.oidcClientId = clientId;
        this.oidcClientSecret = sealedSecret;
        this.oidcScopes = scopes;
        this.oidcEmailClaim = emailClaim;
        this.oidcRequireEmailVerified = requireEmailVerified;
        this.oidcMetadata = metadata;
        this.clockSkewSeconds = (int) clockSkew.toSeconds();
        if (changed) {
            configVersion++;
        }
        this.updatedAt = now;
    }

    /** A test round-trip of configuration {@code version} passed for {@code accountId}. */
    public void testPassed(long version, Long accountId, Instant now) {
        if (version == configVersion) {
            this.testedVersion = version;
            this.testedBy = accountId;
            this.testedAt = now;
        }
    }

    /** Whether the current configuration passed a test run by {@code accountId}. */
    public boolean isTestedBy(Long accountId) {
        return protocol != null && testedVersion != null && testedVersion == configVersion
                && accountId != null && accountId.equals(testedBy);
    }

    public boolean isConfigured() {
        if (protocol == SsoProtocol.OIDC) {
            return oidcIssuer != null && oidcClientId != null && oidcMetadata != null;
        }
        return protocol == SsoProtocol.SAML && samlSignOnUrl != null && samlIdpIssuer != null
                && samlIdpCertificate != null;
    }

    public SsoProtocol getProtocol() {
        return protocol;
    }

    public String getSamlSignOnUrl() {
        return samlSignOnUrl;
    }

    public String getSamlIdpIssuer() {
        return samlIdpIssuer;
    }

    public String getSamlIdpCertificate() {
        return samlIdpCertificate;
    }

    public String getSamlEmailAttribute() {
        return samlEmailAttribute;
    }

    public boolean isSamlAllowSha1() {
        return samlAllowSha1;
    }

    public String getOidcIssuer() {
        return oidcIssuer;
    }

    public String getOidcClientId() {
        return oidcClientId;
    }

    /** The sealed client secret ({@link SsoSecrets#open}), or {@code null} for a public client. */
    public String getOidcClientSecret() {
        return oidcClientSecret;
    }

    public String getOidcScopes() {
        return oidcScopes;
    }

    public String getOidcEmailClaim() {
        return oidcEmailClaim;
    }

    public boolean isOidcRequireEmailVerified() {
        return oidcRequireEmailVerified;
    }

    public String getOidcMetadata() {
        return oidcMetadata;
    }

    public Duration getClockSkew() {
        return Duration.ofSeconds(clockSkewSeconds);
    }

    public long getConfigVersion() {
        return configVersion;
    }

    public Instant getTestedAt() {
        return testedAt;
    }

    public boolean isRoleMappingEnabled() {
        return roleMappingEnabled;
    }

    public String getRoleMappingPath() {
        return roleMappingPath;
    }

    /** The mapping table, sorted by IdP value (a copy). */
    public Map<String, Role> getRoleMappings() {
        return new TreeMap<>(roleMappings);
    }

    /** The role mapping as the pipeline applies it, or {@code null} when it is off. */
    public RoleMapping roleMapping() {
        return roleMappingEnabled && roleMappingPath != null ? RoleMapping.of(roleMappingPath, roleMappings) : null;
    }

    public void configureRoleMapping(boolean enabled, String path, Map<String, Role> mappings, Instant now) {
        this.roleMappingEnabled = enabled;
        this.roleMappingPath = path;
        this.roleMappings.clear();
        this.roleMappings.putAll(mappings);
        this.updatedAt = now;
    }
}
