package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.hub.ValidationException;
import org.hubsso.audit.AuditExport;
import org.hubsso.audit.AuditLog;
import org.hubsso.audit.AuditRow;
import org.hubsso.audit.ExportSlots;

/**
 * {@code /organizations/{org}/settings/audit.csv} and {@code .../audit.json}: the audit log with the page's
 * filters, as a download of the whole filtered history, newest first, streamed batch by batch
 * ({@link AuditLog#exportBatch}); at most {@code hub.audit.exports} at once per node ({@link ExportSlots}), 429 with
 * {@code Retry-After} beyond. Reached only through {@link RoutingFilter}; the service decides access.
 */
@WebServlet(name = "audit-export", urlPatterns = "/_audit/*")
public class AuditExportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    AuditLog audit;

    @Inject
    ExportSlots slots;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        if (route == null) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        boolean csv = route.view().equals("_audit/csv");
        AuditLog.Export export;
        try {
            export = audit.export(route.org(), OrgAuditBean.filter(req::getParameter));
        } catch (AccessDeniedException denied) {
            DeniedPages.forward(req, res, denied);
            return;
        } catch (ValidationException e) {
            plain(res, HttpServletResponse.SC_BAD_REQUEST, e.getField() + ": " + e.getMessage());
            return;
        }
        Optional<ExportSlots.Slot> slot = slots.take();
        if (slot.isEmpty()) {
            res.setHeader("Retry-After", String.valueOf(ExportSlots.RETRY_AFTER_SECONDS));
            plain(res, 429, "Too many audit exports are being written right now. Try again in a minute.");
            return;
        }
        try (ExportSlots.Slot taken = slot.get()) {
            String file = "audit-" + route.org() + (csv ? ".csv" : ".json");
            res.setContentType(csv ? "text/csv" : "application/json");
            res.setCharacterEncoding(StandardCharsets.UTF_8.name());
            res.setHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
            res.setHeader("Cache-Control", "no-store");
            Writer out = res.getWriter();
            try (AuditExport.RowWriter rows = csv ? AuditExport.csv(out) : AuditExport.json(out)) {
                AuditRow last = null;
                List<AuditRow> batch;
                do {
                    batch = audit.exportBatch(route.org(), export, last);
                    for (AuditRow row : batch) {
                        rows.write(row);
                    }
                    out.flush(); // the response streams: nothing piles up in the server's buffer
                    last = batch.isEmpty() ? last : batch.get(batch.size() - 1);
                } while (batch.size() == AuditLog.EXPORT_BATCH);
            }
        }
    }

    private static void plain(HttpServletResponse res, int status, String text) throws IOException {
        res.setStatus(status);
        res.setContentType("text/plain");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.getWriter().write(text);
    }
}
