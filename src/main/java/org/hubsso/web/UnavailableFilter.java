package org.hubsso.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;
import org.hubsso.hub.DatabaseUnavailable;

/**
 * Second of all filters (web.xml): a request that fails because the database cannot be reached, anywhere behind
 * this filter (the session's sign-in check, a page, a servlet), is answered by {@link UnavailablePage} (503 with
 * {@code Retry-After}) instead of a 500. Faces pages get the same answer from {@link HubExceptionHandler}.
 */
public class UnavailableFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(UnavailableFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(req, res);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!DatabaseUnavailable.in(e) || res.isCommitted()) {
                throw e;
            }
            LOG.warning(() -> "Database unreachable: " + req.getMethod() + " " + req.getRequestURI()
                    + " answered 503 (" + e.getClass().getSimpleName() + ")");
            UnavailablePage.write(getServletContext(), res);
        }
    }
}
