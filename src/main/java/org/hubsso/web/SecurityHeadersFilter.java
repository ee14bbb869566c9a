package org.hubsso.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The security headers of every response: no MIME sniffing and same-origin referrers everywhere; pages also get no
 * framing, a strict Content-Security-Policy (scripts, styles and forms from this site only) and no caching. Mapped
 * in web.xml before {@link RoutingFilter}.
 */
public class SecurityHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "same-origin");
        if (!RoutingFilter.isResource(req) && !RoutingFilter.isOwnServlet(req)) {
            res.setHeader("X-Frame-Options", "DENY");
            res.setHeader("Content-Security-Policy", CSP);
            res.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(req, res);
    }
}
