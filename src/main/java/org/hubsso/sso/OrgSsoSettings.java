package org.hubsso.sso;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
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

/**
 * Single sign-on settings of one organization (one row per organization that has touched them): whether SSO is
 * enforced, the live IdP configuration ({@link #config()}) with its version, the SSO session timeout and the role
 * mapping. A configuration an admin is trying out while SSO is enforced is an {@link SsoDraft} beside it.
 */
@Entity
@Table(name = "org_sso_settings")
public class OrgSsoSettings {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofDays(7);
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofDays(90);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(2);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);
    public static final String DEFAULT_OIDC_SCOPES = OidcConfig.DEFAULT_SCOPES;

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

    @Embedded
    private SamlConfig saml = SamlConfig.none();

    @Embedded
    private OidcConfig oidc = OidcConfig.none();

    @Column(name = "clock_skew_seconds", nullable = false)
    private int clockSkewSeconds = (int) DEFAULT_CLOCK_SKEW.toSeconds();

    /** The number of the live configuration: what members sign in with. */
    @Column(name = "config_version", nullable = false)
    private long configVersion;

    /** The highest configuration number given so far, to live or draft configurations. */
    @Column(name = "last_version", nullable = false)
    private long lastVersion;

    /** Matching email domains, one per line ({@link EmailDomains}); {@code null}: any domain. */
    @Column(name = "email_domains", length = 4000)
    private String emailDomains;

    /** The operator's override: enforcement suspended by a site admin, with the reason. */
    @Column(name = "suspended_at")
    private Instant suspendedAt;

    @Column(name = "suspended_by")
    private Long suspendedBy;

    @Column(name = "suspended_reason", length = 1000)
    private String suspendedReason;

    @Column(name = "role_mapping_enabled", nullable = false)
    private boolean roleMappingEnabled;

    @Column(name = "role_mapping_path", length = 500)
    private String roleMappingPath;

    /** With role mapping on, a groups overage reference gives the default role (else the sign-in is refused). */
    @Column(name = "role_overage_default", nullable = false)
    private boolean overageDefaultRole;

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

    /** The live configuration: what members sign in with. */
    public IdpConfig config() {
        return new IdpConfig(configVersion, protocol, Duration.ofSeconds(clockSkewSeconds), saml, oidc);
    }

    /** A number for a new configuration (live or draft) that no earlier one had. */
    public long nextVersion() {
        return ++lastVersion;
    }

    /** Makes {@code config} live under {@code version}; a tested draft keeps the number it was tested under. */
    public void apply(IdpConfig config, long version, Instant now) {
        this.protocol = config.protocol();
        this.saml = config.saml().copy();
        this.oidc = config.oidc().copy();
        this.clockSkewSeconds = (int) config.clockSkew().toSeconds();
        this.configVersion = version;
        this.lastVersion = Math.max(lastVersion, version);
        this.updatedAt = now;
    }

    public boolean isConfigured() {
        return config().isComplete();
    }

    public SsoProtocol getProtocol() {
        return protocol;
    }

    public long getConfigVersion() {
        return configVersion;
    }

    public EmailDomains emailDomains() {
        return EmailDomains.stored(emailDomains);
    }

    public void setEmailDomains(EmailDomains domains, Instant now) {
        this.emailDomains = domains.text();
        this.updatedAt = now;
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

    /** Whether a groups overage reference gives the default role rather than a refused sign-in. */
    public boolean isOverageDefaultRole() {
        return overageDefaultRole;
    }

    public void configureRoleMapping(boolean enabled, String path, Map<String, Role> mappings,
            boolean overageDefaultRole, Instant now) {
        this.overageDefaultRole = overageDefaultRole;
        this.roleMappingEnabled = enabled;
        this.roleMappingPath = path;
        this.roleMappings.clear();
        this.roleMappings.putAll(mappings);
        this.updatedAt = now;
    }

    /** When a site admin suspended the enforcement, or {@code null}. */
    public Instant getSuspendedAt() {
        return suspendedAt;
    }

    public Long getSuspendedBy() {
        return suspendedBy;
    }

    public String getSuspendedReason() {
        return suspendedReason;
    }

    /** Whether members must pass the IdP now: SSO enabled, and not suspended by the operator. */
    public boolean isEnforced() {
        return enabled && suspendedAt == null;
    }

    void suspend(Long siteAdminId, String reason, Instant now) {
        this.suspendedAt = now;
        this.suspendedBy = siteAdminId;
        this.suspendedReason = reason;
        this.updatedAt = now;
    }

    void lift(Instant now) {
        this.suspendedAt = null;
        this.suspendedBy = null;
        this.suspendedReason = null;
        this.updatedAt = now;
    }
}
