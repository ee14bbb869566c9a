package org.hubsso.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One record of an organization's audit trail (event and outcome by their codes). */
@Entity
@Table(name = "sso_audit")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "actor_id")
    private Long actorId;

    @Column(nullable = false, length = 40)
    private String event;

    @Column(nullable = false, length = 16)
    private String outcome;

    @Column(length = 60)
    private String reason;

    @Column(length = 8000)
    private String detail;

    /** The member the record is about (who signed in, whose role or sessions changed); may differ from the actor. */
    @Column(name = "member_id")
    private Long memberId;

    protected AuditEntry() {
    }

    AuditEntry(Long orgId, Instant createdAt, Long actorId, Long memberId, AuditEvent event,
            AuditEvent.Outcome outcome, String reason, String detail) {
        this.orgId = orgId;
        this.memberId = memberId;
        this.createdAt = createdAt;
        this.actorId = actorId;
        this.event = event.code();
        this.outcome = outcome.code();
        this.reason = reason;
        this.detail = detail;
    }

    public Long getId() {
        return id;
    }

    public Long getOrgId() {
        return orgId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Long getActorId() {
        return actorId;
    }

    public String getEvent() {
        return event;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public String getDetail() {
        return detail;
    }

    public Long getMemberId() {
        return memberId;
    }
}
