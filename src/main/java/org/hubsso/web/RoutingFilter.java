package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hubsso.access.Viewer;

/**
 * Maps the public URLs ({@code /{org}}, {@code /{org}/{repo}}, {@code /organizations/{org}/settings/...}) to
 * their Faces views and sets the security headers. Views are never reachable under their own paths.
 */
@WebFilter(urlPatterns = "/*", dispatcherTypes = DispatcherType.REQUEST)
public class RoutingFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String RESOURCES = "/jakarta.faces.resource/";

    @Inject
    Viewer viewer;

    /** Requests mapped to a servlet of their own (not the default servlet, not a Faces view) pass untouched. */
    private static boolean isOwnServlet(HttpServletRequest req) {
        String servlet = req.getHttpServletMapping().getServletName();
        return servlet != null && !servlet.equals("default") && !servlet.equals("Faces Servlet");
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "same-origin");
        if (path.startsWith(RESOURCES) || isOwnServlet(req)) {
            chain.doFilter(req, res);
            return;
        }
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
                + " form-action 'self'");
        res.setHeader("Cache-Control", "no-store");
        Route route = Route.match(path);
        if (route == null) {
            route = new Route(Route.NOT_FOUND_VIEW, null, null, false);
            res.setStatus(HttpServletResponse.SC_NOT_FOUND);
        } else if (route.signInRequired() && !viewer.isSignedIn()) {
            String back = path + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
            res.sendRedirect(req.getContextPath() + "/login?returnTo="
                    + URLEncoder.encode(ReturnTo.sanitize(back, "/"), StandardCharsets.UTF_8));
            return;
        }
        req.setAttribute(Route.ATTRIBUTE, route);
        req.getRequestDispatcher(route.viewId()).forward(req, res);
    }
}
