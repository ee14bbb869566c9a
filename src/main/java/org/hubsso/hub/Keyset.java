package org.hubsso.hub;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Keyset paging of a list ordered by a unique lower-case text key (a username, an organization or repository
 * name): a page is "the next {@link #SIZE} after this key" or "the {@link #SIZE} before this key", never "skip n",
 * so the database reads one page's rows through the key's index whatever the page, and memory holds one page.
 * A search narrows the list to keys containing the text.
 *
 * <pre>{@code
 * Keyset.Slice<Repo> page = Keyset.page(em, Repo.class,
 *         "select r from Repo r where r.organization = :o", "r.nameKey", Map.of("o", org),
 *         Keyset.Request.of(search, after, before), r -> r.getName().toLowerCase(Locale.ROOT));
 * }</pre>
 */
public final class Keyset {

    /** Rows a page shows. */
    public static final int SIZE = 50;
    /** The longest search text or cursor taken; longer ones are ignored. */
    static final int MAX_TEXT = 100;

    private Keyset() {
    }

    /** What a page is asked for: a search (lower case, or null), and at most one of {@code after}/{@code before}. */
    public record Request(String search, String after, String before) {

        public static final Request FIRST = new Request(null, null, null);

        /** From request parameters as typed: blank or overlong values count as absent. */
        public static Request of(String search, String after, String before) {
            String s = clean(search);
            String a = clean(after);
            return new Request(s == null ? null : s.toLowerCase(Locale.ROOT), a, a == null ? clean(before) : null);
        }

        private static String clean(String value) {
            return value == null || value.isBlank() || value.length() > MAX_TEXT ? null : value.strip();
        }
    }

    /**
     * One page, in key order, with the cursors of its neighbours: {@code previous} (the key to ask "before" with;
     * null on the first page) and {@code next} (the key to ask "after" with; null on the last).
     */
    public record Slice<T>(List<T> rows, String previous, String next) {

        public List<T> getRows() {
            return rows;
        }

        public String getPrevious() {
            return previous;
        }

        public String getNext() {
            return next;
        }
    }

    /**
     * Runs {@code select} (a JPQL query, with or without a {@code where} clause, without ordering) for one page
     * ordered by {@code key}; {@code params} are its parameters, {@code keyOf} reads the key of a row.
     */
    public static <T> Slice<T> page(EntityManager em, Class<T> type, String select, String key,
            Map<String, ?> params, Request request, Function<T, String> keyOf) {
        StringBuilder q = new StringBuilder(select);
        String and = select.toLowerCase(Locale.ROOT).contains(" where ") ? " and " : " where ";
        if (request.search() != null) {
            q.append(and).append(key).append(" like :search escape '!'");
            and = " and ";
        }
        boolean backwards = request.before() != null;
        if (request.after() != null) {
            q.append(and).append(key).append(" > :cursor");
        } else if (backwards) {
            q.append(and).append(key).append(" < :cursor");
        }
        q.append(" order by ").append(key).append(backwards ? " desc" : " asc");
        TypedQuery<T> query = em.createQuery(q.toString(), type);
        params.forEach(query::setParameter);
        if (request.search() != null) {
            query.setParameter("search", "%" + escape(request.search()) + "%");
        }
        if (request.after() != null || backwards) {
            query.setParameter("cursor", backwards ? request.before() : request.after());
        }
        List<T> found = query.setMaxResults(SIZE + 1).getResultList();
        boolean more = found.size() > SIZE;
        List<T> rows = new ArrayList<>(more ? found.subList(0, SIZE) : found);
        if (backwards) {
            Collections.reverse(rows);
        }
        if (rows.isEmpty()) {
            return new Slice<>(rows, null, null);
        }
        String first = keyOf.apply(rows.get(0));
        String last = keyOf.apply(rows.get(rows.size() - 1));
        boolean hasPrevious = backwards ? more : request.after() != null;
        boolean hasNext = backwards || more;
        return new Slice<>(List.copyOf(rows), hasPrevious ? first : null, hasNext ? last : null);
    }

    /** The search text with LIKE's wildcards and the escape character taken literally. */
    static String escape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
