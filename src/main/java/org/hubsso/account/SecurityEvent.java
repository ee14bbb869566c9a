package org.hubsso.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One entry of an account's own security log. */
@Entity
@Table(name = "security_event")
public class SecurityEvent {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false, length = 40)
    private String event;

    @Column(length = 1000)
    private String detail;

    protected SecurityEvent() {
    }

    SecurityEvent(Long accountId, Instant createdAt, String event, String detail) {
        this.accountId = accountId;
        this.createdAt = createdAt;
        this.event = event;
        this.detail = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 999) + "…";
    }

    public Long getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getTime() {
        return TIME.format(createdAt);
    }

    public String getEvent() {
        return event;
    }

    public String getDetail() {
        return detail;
    }
}
