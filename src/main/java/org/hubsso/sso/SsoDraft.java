package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * An IdP configuration an admin saved while the organization enforces SSO: members keep signing in with the live
 * one until a test of this very draft has passed and an admin applies it. One per organization at most; a draft
 * exists only while SSO is enforced (disabling makes it live, since nobody signs in through it then).
 */
@Entity
@Table(name = "sso_config_draft")
public class SsoDraft {

    @Id
    @Column(name = "org_id")
    private Long orgId;

    @Column(name = "config_version", nullable = false)
    private long version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private SsoProtocol protocol;

    @Column(name = "clock_skew_seconds", nullable = false)
    private int clockSkewSeconds;

    @Embedded
    private SamlConfig saml = SamlConfig.none();

    @Embedded
    private OidcConfig oidc = OidcConfig.none();

    @Column(name = "saved_by")
    private Long savedBy;

    @Column(name = "saved_at", nullable = false)
    private Instant savedAt;

    protected SsoDraft() {
    }

    public SsoDraft(Long orgId) {
        this.orgId = orgId;
    }

    /** Replaces the draft's configuration; it gets {@code version}, a number no earlier configuration had. */
    public void save(IdpConfig config, long version, Long savedBy, Instant now) {
        this.version = version;
        this.protocol = config.protocol();
        this.clockSkewSeconds = (int) config.clockSkew().toSeconds();
        this.saml = config.saml().copy();
        this.oidc = config.oidc().copy();
        this.savedBy = savedBy;
        this.savedAt = now;
    }

    public IdpConfig config() {
        return new IdpConfig(version, protocol, Duration.ofSeconds(clockSkewSeconds), saml, oidc);
    }

    public Long getOrgId() {
        return orgId;
    }

    public long getVersion() {
        return version;
    }

    public Long getSavedBy() {
        return savedBy;
    }

    public Instant getSavedAt() {
        return savedAt;
    }
}
