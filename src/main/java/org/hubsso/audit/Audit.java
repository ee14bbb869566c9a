package org.hubsso.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Jsonp;

/**
 * The audit trail of each organization: SSO logins and tests, joins, role changes, settings changes, enabling and
 * revocations. Each record names its actor (who did it, or nobody for an answer to no known sign-in) and the member
 * it is about (none for settings). Details are small JSON objects; callers never pass secrets, raw assertions or
 * tokens, and keys naming a secret are redacted anyway. Failures are written in a transaction of their own, so they
 * are kept even when the request that failed changes nothing else.
 */
@ApplicationScoped
public class Audit {

    public static final int MAX_DETAIL = 8000;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Records within the caller's transaction: {@code actorId} did something to {@code memberId} (or to nobody). */
    @Transactional
    public void record(Long orgId, Long actorId, Long memberId, AuditEvent event, AuditEvent.Outcome outcome,
            String reason, Map<String, ?> detail) {
        em.persist(new AuditEntry(orgId, clock.now(), actorId, memberId, event, outcome, reason, json(detail)));
    }

    /** Records a success of the actor's own (a login, a join), within the caller's transaction. */
    @Transactional
    public void success(Long orgId, Long actorId, AuditEvent event, Map<String, ?> detail) {
        record(orgId, actorId, actorId, event, AuditEvent.Outcome.SUCCESS, null, detail);
    }

    /** Records what the actor (an admin) did to a member, within the caller's transaction. */
    @Transactional
    public void memberChange(Long orgId, Long actorId, Long memberId, AuditEvent event, Map<String, ?> detail) {
        record(orgId, actorId, memberId, event, AuditEvent.Outcome.SUCCESS, null, detail);
    }

    /**
     * Records a change of the organization's settings within the caller's transaction: it is about no member (the
     * admin who made it is the actor, not someone it happened to).
     */
    @Transactional
    public void setting(Long orgId, Long actorId, AuditEvent event, Map<String, ?> detail) {
        record(orgId, actorId, null, event, AuditEvent.Outcome.SUCCESS, null, detail);
    }

    /** Records in a transaction of its own, whatever happens to the caller's; the record is about the actor. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAlone(Long orgId, Long actorId, AuditEvent event, AuditEvent.Outcome outcome, String reason,
            Map<String, ?> detail) {
        record(orgId, actorId, actorId, event, outcome, reason, detail);
    }

    @Transactional
    public List<AuditEntry> recent(Long orgId, int max) {
        return em.createQuery("select e from AuditEntry e where e.orgId = :o order by e.createdAt desc, e.id desc",
                AuditEntry.class).setParameter("o", orgId).setMaxResults(max).getResultList();
    }

    /**
     * Where a page of the audit log starts: the time and id of the row next to it. Pages are found by this key
     * (keyset paging) with the indexes on {@code (org_id, ..., created_at)}, so page 40,000 costs what page 1 does.
     * Written in links as {@code <ISO instant>_<id>}.
     */
    public record Cursor(java.time.Instant time, long id) {

        public static Optional<Cursor> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            int cut = text.lastIndexOf('_');
            try {
                return Optional.of(new Cursor(java.time.Instant.parse(text.substring(0, Math.max(0, cut))),
                        Long.parseLong(text.substring(cut + 1))));
            } catch (java.time.format.DateTimeParseException | NumberFormatException | IndexOutOfBoundsException e) {
                return Optional.empty();
            }
        }

        static Cursor of(AuditEntry e) {
            return new Cursor(e.getCreatedAt(), e.getId());
        }

        @Override
        public String toString() {
            return time + "_" + id;
        }
    }

    /** The filters of a search; any may be {@code null}. The range is [from, to). */
    public record Query(Long orgId, AuditEvent event, Long memberId, java.time.Instant from, java.time.Instant to) {
    }

    /**
     * Up to {@code max} records of an organization next to {@code cursor} (none: from the newest), newest first
     * either way: older than the cursor when {@code older}, else the ones just newer. A member filter matches the
     * member as the record's member or as its actor, by two queries that each use an index of their own (one query
     * with "member or actor" read every record of the organization), merged here.
     */
    @Transactional
    public List<AuditEntry> search(Query query, Cursor cursor, boolean older, int max) {
        List<AuditEntry> found;
        if (query.memberId() == null) {
            found = search(query, null, cursor, older, max);
        } else {
            found = new ArrayList<>(search(query, "e.memberId = :m", cursor, older, max));
            found.addAll(search(query, "e.actorId = :m and (e.memberId is null or e.memberId <> :m)", cursor, older,
                    max));
            Comparator<AuditEntry> newestFirst = Comparator.comparing(AuditEntry::getCreatedAt)
                    .thenComparing(AuditEntry::getId).reversed();
            found.sort(older ? newestFirst : newestFirst.reversed());
            found = found.subList(0, Math.min(max, found.size()));
        }
        List<AuditEntry> rows = new ArrayList<>(found);
        if (!older) {
            Collections.reverse(rows);
        }
        return rows;
    }

    private List<AuditEntry> search(Query query, String memberCondition, Cursor cursor, boolean older, int max) {
        StringBuilder q = new StringBuilder("select e from AuditEntry e where e.orgId = :o");
        if (query.event() != null) {
            q.append(" and e.event = :event");
        }
        if (memberCondition != null) {
            q.append(" and ").append(memberCondition);
        }
        if (query.from() != null) {
            q.append(" and e.createdAt >= :from");
        }
        if (query.to() != null) {
            q.append(" and e.createdAt < :to");
        }
        String direction = older ? "<" : ">";
        if (cursor != null) {
            // (time, id) beyond the cursor, written so that the first condition bounds the index range: with only
            // "time < t or (time = t and id < i)" PostgreSQL read every record from the newest to the page, and an
            // export of 2,000,000 records took hours.
            q.append(" and e.createdAt ").append(direction).append("= :ct and (e.createdAt ").append(direction)
                    .append(" :ct or e.id ").append(direction).append(" :cid)");
        }
        q.append(older ? " order by e.createdAt desc, e.id desc" : " order by e.createdAt asc, e.id asc");
        var typed = em.createQuery(q.toString(), AuditEntry.class).setParameter("o", query.orgId());
        if (query.event() != null) {
            typed.setParameter("event", query.event().code());
        }
        if (memberCondition != null) {
            typed.setParameter("m", query.memberId());
        }
        if (query.from() != null) {
            typed.setParameter("from", query.from());
        }
        if (query.to() != null) {
            typed.setParameter("to", query.to());
        }
        if (cursor != null) {
            typed.setParameter("ct", cursor.time()).setParameter("cid", cursor.id());
        }
        return typed.setMaxResults(max).getResultList();
    }

    public static final String REDACTED = "[redacted]";

    /** Detail keys whose values are never written: client secrets, passwords, tokens, private keys. */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.contains("token") || k.contains("privatekey");
    }

    /** The longest value a detail keeps; a longer one is cut (and says so) before the JSON is built. */
    static final int MAX_VALUE = 1000;

    /**
     * The detail as one JSON object. Values are cut to {@link #MAX_VALUE} characters before the object is built, so
     * the stored text is always a whole JSON document; secrets are never written.
     */
    static String json(Map<String, ?> detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        for (int max = MAX_VALUE; max >= 50; max /= 4) {
            String text = json(detail, max);
            if (text.length() <= MAX_DETAIL) {
                return text;
            }
        }
        return Jsonp.JSON.createObjectBuilder().add("cut", "the detail was too large to keep").build().toString();
    }

    private static String json(Map<String, ?> detail, int maxValue) {
        JsonObjectBuilder b = Jsonp.JSON.createObjectBuilder();
        int budget = MAX_DETAIL / 2;
        for (Map.Entry<String, ?> e : detail.entrySet()) {
            String k = cut(e.getKey(), 100);
            Object v = e.getValue();
            if (v != null && isSecret(k)) {
                b.add(k, REDACTED); // a changed secret is recorded as changed, never with its value
            } else if (v == null) {
                b.addNull(k);
            } else if (v instanceof Number n) {
                b.add(k, n.longValue());
            } else if (v instanceof Boolean bool) {
                b.add(k, bool);
            } else {
                String text = cut(v.toString(), Math.max(20, Math.min(maxValue, budget)));
                budget -= text.length();
                b.add(k, text);
            }
        }
        return b.build().toString();
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "… (cut)";
    }
}
