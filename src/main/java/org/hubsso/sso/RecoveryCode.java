package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One break-glass recovery code of an organization: only its SHA-256 is kept; it is used once. */
@Entity
@Table(name = "sso_recovery_code")
public class RecoveryCode {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "code_hash", nullable = false, length = 64)
    private String codeHash;

    @Column(name = "created_by")
    private Long createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "used_by")
    private Long usedBy;

    @Column(name = "used_at")
    private Instant usedAt;

    protected RecoveryCode() {
    }

    RecoveryCode(Long orgId, String codeHash, Long createdBy, Instant createdAt) {
        this.orgId = orgId;
        this.codeHash = codeHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }
}
