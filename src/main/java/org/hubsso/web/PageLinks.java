package org.hubsso.web;

import jakarta.faces.context.FacesContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hubsso.hub.Keyset;

/**
 * The request parameters of one keyset-paged, searchable list ({@code q}, {@code after}, {@code before}, each
 * with the list's prefix when a page has two lists) and the query strings of its "previous" and "next" links.
 *
 * <pre>{@code
 * PageLinks links = PageLinks.of("");                    // reads ?q=&after=&before=
 * Keyset.Slice<Repo> page = service.page(org, links.request());
 * String next = links.next(page);                        // "?q=bert&after=bert-large", or null on the last page
 * }</pre>
 */
final class PageLinks {

    private final String prefix;
    private final Keyset.Request request;

    private PageLinks(String prefix, Keyset.Request request) {
        this.prefix = prefix;
        this.request = request;
    }

    /** The list's parameters in the current Faces request (its form posts carry them as hidden fields too). */
    static PageLinks of(String prefix) {
        Map<String, String> params = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap();
        return new PageLinks(prefix, Keyset.Request.of(params.get(prefix + "q"), params.get(prefix + "after"),
                params.get(prefix + "before")));
    }

    Keyset.Request request() {
        return request;
    }

    /** The search as typed (lower case), or an empty string. */
    String search() {
        return request.search() == null ? "" : request.search();
    }

    /** The query string of the previous page's link, or null on the first page. */
    String previous(Keyset.Slice<?> page) {
        return page.previous() == null ? null : link("before", page.previous());
    }

    /** The query string of the next page's link, or null on the last page. */
    String next(Keyset.Slice<?> page) {
        return page.next() == null ? null : link("after", page.next());
    }

    private String link(String direction, String cursor) {
        StringBuilder q = new StringBuilder("?");
        if (request.search() != null) {
            q.append(prefix).append("q=").append(encode(request.search())).append('&');
        }
        return q.append(prefix).append(direction).append('=').append(encode(cursor)).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
