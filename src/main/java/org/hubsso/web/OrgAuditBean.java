package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.hubsso.hub.ValidationException;
import org.hubsso.audit.AuditLog;

/**
 * {@code /organizations/{org}/settings/audit}: the audit log with filters (a GET form), keyset paging
 * ({@code ?before=} a cursor for older records, {@code ?after=} for newer) and exports.
 */
@Named("orgAudit")
@RequestScoped
public class OrgAuditBean {

    @Inject
    AuditLog audit;

    private AuditLog.Filter filter;
    private AuditLog.Page page;
    private String error;

    public void load() {
        var params = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap();
        filter = filter(params::get);
        try {
            page = audit.page(Pages.route().org(), filter, limit(params.get("before")), limit(params.get("after")));
        } catch (ValidationException e) {
            error = e.getMessage();
        }
    }

    static AuditLog.Filter filter(Function<String, String> params) {
        return new AuditLog.Filter(limit(params.apply("event")), limit(params.apply("member")),
                limit(params.apply("from")), limit(params.apply("to")));
    }

    private static String limit(String value) {
        return value == null || value.length() > 100 ? null : value;
    }

    public AuditLog.Filter getFilter() {
        if (filter == null) {
            load();
        }
        return filter;
    }

    public AuditLog.Page getPage() {
        if (filter == null) {
            load();
        }
        return page;
    }

    public String getError() {
        return error;
    }

    public List<String> getEvents() {
        return AuditLog.EVENTS;
    }

    /** The filters as a query string (without '?'), for the paging and export links. */
    public String getQuery() {
        AuditLog.Filter f = getFilter();
        StringBuilder q = new StringBuilder();
        append(q, "event", f.getEvent());
        append(q, "member", f.getMember());
        append(q, "from", f.getFrom());
        append(q, "to", f.getTo());
        return q.toString();
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.length() == 0 ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
