package org.hubsso.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.hub.Account;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;

/** The audit log page and its exports: an organization's audit records, for its admins only. */
@ApplicationScoped
@Transactional
public class AuditLog {

    public static final int PAGE_SIZE = 50;
    /** Records an export reads per query. */
    public static final int EXPORT_BATCH = 500;

    /** Every event the hub records, by code, in the order the filter offers them. */
    public static final List<String> EVENTS = java.util.Arrays.stream(AuditEvent.values()).map(AuditEvent::code)
            .toList();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    OrgContexts contexts;

    @Inject
    Audit audit;

    /** The filters of the page, as typed: event, member username, from and to (UTC dates or date-times). */
    public static final class Filter {
        private final String event;
        private final String member;
        private final String from;
        private final String to;

        public Filter(String event, String member, String from, String to) {
            this.event = blankToNull(event);
            this.member = blankToNull(member);
            this.from = blankToNull(from);
            this.to = blankToNull(to);
        }

        public String getEvent() {
            return event;
        }

        public String getMember() {
            return member;
        }

        public String getFrom() {
            return from;
        }

        public String getTo() {
            return to;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /**
     * One page of rows, newest first, with the cursors of the pages next to it: {@code newer} (null on the newest
     * page) and {@code older} (null on the oldest).
     */
    public static final class Page {
        private final List<AuditRow> rows;
        private final String newer;
        private final String older;

        Page(List<AuditRow> rows, String newer, String older) {
            this.rows = rows;
            this.newer = newer;
            this.older = older;
        }

        public List<AuditRow> getRows() {
            return rows;
        }

        public String getNewer() {
            return newer;
        }

        public String getOlder() {
            return older;
        }
    }

    /**
     * The page of records older than {@code before}, or else newer than {@code after}, or else the newest; cursors
     * that do not parse are ignored (a link may have been edited).
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Page page(@OrgName String orgName, Filter filter, String before, String after) {
        Organization org = contexts.guarded(orgName).org();
        Audit.Query query = query(org, filter);
        Optional<Audit.Cursor> older = Audit.Cursor.parse(before);
        Optional<Audit.Cursor> newer = older.isPresent() ? Optional.empty() : Audit.Cursor.parse(after);
        if (newer.isPresent()) {
            List<AuditEntry> entries = audit.search(query, newer.get(), false, PAGE_SIZE + 1);
            if (!entries.isEmpty()) {
                boolean more = entries.size() > PAGE_SIZE;
                List<AuditEntry> shown = more ? entries.subList(1, entries.size()) : entries;
                return new Page(rows(shown), more ? cursor(shown.get(0)) : null, cursor(shown.get(shown.size() - 1)));
            }
        }
        List<AuditEntry> entries = audit.search(query, older.orElse(null), true, PAGE_SIZE + 1);
        boolean more = entries.size() > PAGE_SIZE;
        List<AuditEntry> shown = more ? entries.subList(0, PAGE_SIZE) : entries;
        return new Page(rows(shown), older.isPresent() && !shown.isEmpty() ? cursor(shown.get(0)) : null,
                more ? cursor(shown.get(shown.size() - 1)) : null);
    }

    /**
     * An export's filter, checked (a bad filter is a {@link ValidationException} before anything is written) and
     * resolved once; {@link #exportBatch} then reads it batch after batch.
     */
    public record Export(AuditEvent event, Long memberId, Instant from, Instant to) {
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Export export(@OrgName String orgName, Filter filter) {
        Audit.Query q = query(contexts.guarded(orgName).org(), filter);
        return new Export(q.event(), q.memberId(), q.from(), q.to());
    }

    /**
     * The next {@link #EXPORT_BATCH} records of an export after {@code after} (none: from the newest), newest first.
     * Each batch is a short query of its own by the keyset, so an export of the whole history holds neither a
     * connection nor more than one batch in memory, and every batch checks access again.
     */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<AuditRow> exportBatch(@OrgName String orgName, Export export, AuditRow after) {
        Organization org = contexts.guarded(orgName).org();
        Audit.Query query = new Audit.Query(org.getId(), export.event(), export.memberId(), export.from(),
                export.to());
        Audit.Cursor cursor = after == null ? null : new Audit.Cursor(after.getCreatedAt(), after.getId());
        List<AuditRow> rows = rows(audit.search(query, cursor, true, EXPORT_BATCH));
        em.clear();
        return rows;
    }

    private static String cursor(AuditEntry e) {
        return new Audit.Cursor(e.getCreatedAt(), e.getId()).toString();
    }

    private Audit.Query query(Organization org, Filter filter) {
        AuditEvent event = filter.getEvent() == null ? null : AuditEvent.byCode(filter.getEvent())
                .orElseThrow(() -> new ValidationException("event", "Unknown event type."));
        Long memberId = null;
        if (filter.getMember() != null) {
            List<Long> ids = em.createQuery("select a.id from Account a where a.usernameKey = :k", Long.class)
                    .setParameter("k", filter.getMember().toLowerCase(Locale.ROOT)).getResultList();
            if (ids.isEmpty()) {
                throw new ValidationException("member", "No account with this username.");
            }
            memberId = ids.get(0);
        }
        Instant from = instant("from", filter.getFrom(), false);
        Instant to = instant("to", filter.getTo(), true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ValidationException("to", "The end must be after the start.");
        }
        return new Audit.Query(org.getId(), event, memberId, from, to);
    }

    private List<AuditRow> rows(List<AuditEntry> entries) {
        Set<Long> ids = new HashSet<>();
        entries.forEach(e -> {
            ids.add(e.getActorId());
            ids.add(e.getMemberId());
        });
        ids.remove(null);
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select a.id, a.username from Account a where a.id in :ids", Object[].class)
                    .setParameter("ids", ids).getResultList().forEach(a -> names.put((Long) a[0], (String) a[1]));
        }
        List<AuditRow> rows = new ArrayList<>(entries.size());
        for (AuditEntry e : entries) {
            rows.add(new AuditRow(e, names.get(e.getActorId()), names.get(e.getMemberId())));
        }
        return rows;
    }

    /**
     * A date ({@code 2026-11-23}, the whole day when it ends the range) or a date-time ({@code 2026-11-23T10:15}),
     * in UTC.
     */
    static Instant instant(String field, String value, boolean end) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() <= 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "Use a date like 2026-11-23 or a time like 2026-11-23T10:15 (UTC).");
        }
    }
}
