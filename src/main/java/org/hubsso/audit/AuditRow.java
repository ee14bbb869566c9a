package org.hubsso.audit;

import org.hubsso.hub.Jsonp;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One audit record as the page and the exports show it: with usernames instead of account ids. */
public final class AuditRow {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Long id;
    private final Instant createdAt;
    private final String event;
    private final String outcome;
    private final String reason;
    private final String actor;
    private final String member;
    private final String detail;

    AuditRow(AuditEntry entry, String actor, String member) {
        this(entry.getId(), entry.getCreatedAt(), entry.getEvent(), entry.getOutcome(), entry.getReason(), actor,
                member, entry.getDetail());
    }

    public AuditRow(Long id, Instant createdAt, String event, String outcome, String reason, String actor,
            String member, String detail) {
        this.id = id;
        this.createdAt = createdAt;
        this.event = event;
        this.outcome = outcome;
        this.reason = reason;
        this.actor = actor;
        this.member = member;
        this.detail = detail;
    }

    public Long getId() {
        return id;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** ISO-8601 instant, for exports. */
    public String getIsoTime() {
        return createdAt.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public String getTime() {
        return TIME.format(createdAt);
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

    /** Who did it: a username, or {@code null} when nobody signed in did (an IdP answer at the ACS). */
    public String getActor() {
        return actor;
    }

    /** Whom it is about, or {@code null}. */
    public String getMember() {
        return member;
    }

    /** A small JSON object, or {@code null}. */
    public String getDetail() {
        return detail;
    }

    /** The detail as (key, value) pairs for reading: strings without quotes, other values as JSON. */
    public List<Map.Entry<String, String>> getDetailItems() {
        if (detail == null) {
            return List.of();
        }
        try {
            JsonObject object = Jsonp.JSON.createReader(new StringReader(detail)).readObject();
            List<Map.Entry<String, String>> items = new ArrayList<>(object.size());
            object.forEach((k, v) -> items.add(Map.entry(k, v instanceof JsonString text ? text.getString()
                    : v.toString())));
            return items;
        } catch (JsonException | IllegalStateException e) {
            return List.of(Map.entry("detail", detail)); // a record written before details were kept whole
        }
    }
}
