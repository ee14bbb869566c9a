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
    public static final int MAX_EXPORT = 10_000;

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

    /** One page of rows, and whether there is a next one. */
    public static final class Page {
        private final List<AuditRow> rows;
        private final int number;
        private final boolean more;

        Page(List<AuditRow> rows, int number, boolean more) {
            this.rows = rows;
            this.number = number;
            this.more = more;
        }

        public List<AuditRow> getRows() {
            return rows;
        }

        public int getNumber() {
            return number;
        }

        public boolean isMore() {
            return more;
        }
    }

    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public Page page(@OrgName String orgName, Filter filter, int number) {
        Organization org = contexts.guarded(orgName).org();
        int page = Math.max(1, Math.min(number, 100_000));
        List<AuditRow> rows = rows(org, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1);
        boolean more = rows.size() > PAGE_SIZE;
        return new Page(more ? rows.subList(0, PAGE_SIZE) : rows, page, more);
    }

    /** All records matching the filter, newest first, at most {@link #MAX_EXPORT}. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    public List<AuditRow> export(@OrgName String orgName, Filter filter) {
        return rows(contexts.guarded(orgName).org(), filter, 0, MAX_EXPORT);
    }

    private List<AuditRow> rows(Organization org, Filter filter, int first, int max) {
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
        List<AuditEntry> entries = audit.search(org.getId(), event, memberId, from, to, first, max);
        Set<Long> ids = new HashSet<>();
        entries.forEach(e -> {
            ids.add(e.getActorId());
            ids.add(e.getMemberId());
        });
        ids.remove(null);
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            em.createQuery("select a from Account a where a.id in :ids", Account.class).setParameter("ids", ids)
                    .getResultList().forEach(a -> names.put(a.getId(), a.getUsername()));
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
