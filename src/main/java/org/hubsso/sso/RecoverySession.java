package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What a recovery code gives an admin: a short session, bound to the hub sign-in in which the code was entered, that
 * reaches the organization's settings only, never its content.
 */
@Entity
@Table(name = "sso_recovery_session")
public class RecoverySession {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    @Column(name = "sign_in_id", nullable = false, length = 64)
    private String signInId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected RecoverySession() {
    }

    RecoverySession(Long orgId, Long accountId, String signInId, Instant createdAt, Instant expiresAt) {
        this.orgId = orgId;
        this.accountId = accountId;
        this.signInId = signInId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }
}
