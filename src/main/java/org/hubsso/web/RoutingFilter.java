package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hubsso.access.Viewer;

/**
 * Maps the public URLs ({@code /{org}}, {@code /{org}/{repo}}, {@code /organizations/{org}/settings/...}) to their
 * Faces views or the hub's servlets ({@link Route}); a page that needs a sign-in sends an anonymous viewer to the
 * login first. Views are never reachable under their own paths. Mapped in web.xml.
 */
public class RoutingFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String RESOURCES = "/jakarta.faces.resource/";

    @Inject
    Viewer viewer;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (isResource(req) || isOwnServlet(req)) {
            chain.doFilter(req, res);
            return;
        }
        String path = path(req);
        Route route = Route.match(path);
        if (route == null) {
            route = new Route(Route.NOT_FOUND_VIEW, null, null, false);
            res.setStatus(HttpServletResponse.SC_NOT_FOUND);
        } else if (route.signInRequired() && !viewer.isSignedIn()) {
            String back = path + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
            res.sendRedirect(req.getContextPath() + Route.login(back));
            return;
        }
        req.setAttribute(Route.ATTRIBUTE, route);
        req.getRequestDispatcher(route.viewId()).forward(req, res);
    }

    static String path(HttpServletRequest req) {
        return req.getRequestURI().substring(req.getContextPath().length());
    }

    static boolean isResource(HttpServletRequest req) {
        return path(req).startsWith(RESOURCES);
    }

    /** Requests mapped to a servlet of their own (not the default servlet, not a Faces view) pass untouched. */
    static boolean isOwnServlet(HttpServletRequest req) {
        String servlet = req.getHttpServletMapping().getServletName();
        return servlet != null && !servlet.equals("default") && !servlet.equals("Faces Servlet");
    }
}
