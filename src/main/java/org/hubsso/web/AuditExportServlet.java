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
import org.hubsso.access.Decision;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.AuditExport;
import org.hubsso.sso.AuditLog;
import org.hubsso.sso.AuditRow;

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
            res.setStatus(denied.getDecision().httpStatus());
            res.setHeader("X-Hub-Access", denied.getDecision().code());
            req.setAttribute("denied", denied);
            String view = denied.getDecision() == Decision.NOT_FOUND ? Route.NOT_FOUND_VIEW : "denied";
            req.getRequestDispatcher("/views/" + view + ".xhtml").forward(req, res);
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
