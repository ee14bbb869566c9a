package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/** Single sign-on settings of one organization (one row per organization that has touched them). */
@Entity
@Table(name = "org_sso_settings")
public class OrgSsoSettings {

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofDays(7);

    @Id
    @Column(name = "org_id")
    private Long orgId;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "session_timeout_seconds", nullable = false)
    private long sessionTimeoutSeconds;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

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
}
