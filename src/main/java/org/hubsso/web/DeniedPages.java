package org.hubsso.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;

/**
 * The one mapping of an access denial to what the browser gets: its HTTP status, the {@code X-Hub-Access} header,
 * and the page (not found, or the denied page that offers the sign-in or the organization's SSO). Used by the
 * servlets ({@link #forward}) and by Faces ({@link HubExceptionHandler}).
 */
final class DeniedPages {

    static final String HEADER = "X-Hub-Access";
    static final String ATTRIBUTE = "denied";

    private DeniedPages() {
    }

    /** The view that renders this decision. */
    static String viewId(Decision decision) {
        return "/views/" + (decision == Decision.NOT_FOUND ? Route.NOT_FOUND_VIEW : "denied") + ".xhtml";
    }

    /** Sets what every denial answer carries: the request attribute for the page, and the header. */
    static void mark(AccessDeniedException denied, BiConsumer<String, Object> attributes,
            BiConsumer<String, String> headers) {
        attributes.accept(ATTRIBUTE, denied);
        headers.accept(HEADER, denied.getDecision().code());
    }

    /** Answers a servlet request with the denial's page. */
    static void forward(HttpServletRequest req, HttpServletResponse res, AccessDeniedException denied)
            throws ServletException, IOException {
        res.setStatus(denied.getDecision().httpStatus());
        mark(denied, req::setAttribute, res::setHeader);
        req.getRequestDispatcher(viewId(denied.getDecision())).forward(req, res);
    }
}
