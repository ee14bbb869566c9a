package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.hub.ValidationException;
import org.hubsso.audit.AuditExport;
import org.hubsso.audit.AuditLog;
import org.hubsso.audit.AuditRow;

/**
 * {@code /organizations/{org}/settings/audit.csv} and {@code .../audit.json}: the audit log with the page's
 * filters, as a download. Reached only through {@link RoutingFilter}; the service decides access.
 */
@WebServlet(name = "audit-export", urlPatterns = "/_audit/*")
public class AuditExportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    AuditLog audit;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        if (route == null) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        boolean csv = route.view().equals("_audit/csv");
        List<AuditRow> rows;
        try {
            rows = audit.export(route.org(), OrgAuditBean.filter(req::getParameter));
        } catch (AccessDeniedException denied) {
            DeniedPages.forward(req, res, denied);
            return;
        } catch (ValidationException e) {
            res.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            res.setContentType("text/plain");
            res.setCharacterEncoding(StandardCharsets.UTF_8.name());
            res.getWriter().write(e.getField() + ": " + e.getMessage());
            return;
        }
        String file = "audit-" + route.org() + (csv ? ".csv" : ".json");
        res.setContentType(csv ? "text/csv" : "application/json");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.setHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
        res.setHeader("Cache-Control", "no-store");
        res.getWriter().write(csv ? AuditExport.csv(rows) : AuditExport.json(rows));
    }
}
