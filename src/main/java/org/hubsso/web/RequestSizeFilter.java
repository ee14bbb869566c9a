package org.hubsso.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.SsoFailure;

/**
 * The first filter of every request (declared first in web.xml): a request body larger than the hub accepts, or of
 * unknown length, is answered 413 with a plain page before anything reads it. Nothing after this filter (a Faces
 * view, the container's own parameter parsing, an error page) ever meets a body over the container's limit, so
 * such a request can no longer end in a 500 with a stack trace. The ACS takes the smallest bodies and says why in
 * its failure header, like its other refusals.
 */
public class RequestSizeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Largest body of a form post to a page: the largest field (pasted IdP metadata) URL-encoded fits well. */
    static final long MAX_FORM = 1024 * 1024;
    /** Largest body at the ACS: one posted IdP answer of at most {@link IdpRequest#MAX_POSTED_ANSWER} and a little. */
    static final long MAX_ACS = IdpRequest.MAX_POSTED_ANSWER + 8 * 1024;

    private byte[] page;

    @Override
    public void init() throws ServletException {
        try (InputStream in = getServletContext().getResourceAsStream("/WEB-INF/errors/413.html")) {
            page = in == null ? "Request too large".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        } catch (IOException e) {
            throw new ServletException("Cannot read the 413 page", e);
        }
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String method = req.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            chain.doFilter(req, res);
            return;
        }
        long length = req.getContentLengthLong();
        boolean acs = isAcs(req.getRequestURI().substring(req.getContextPath().length()));
        long limit = acs ? MAX_ACS : MAX_FORM;
        if (length >= 0 && length <= limit) {
            chain.doFilter(req, res);
            return;
        }
        res.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        // The body is left unread: the connection closes rather than reading it to its end.
        res.setHeader("Connection", "close");
        if (acs) {
            res.setHeader("X-Hub-Sso-Failure", SsoFailure.Reason.REQUEST_TOO_LARGE.code());
        }
        res.setContentType("text/html");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.setContentLength(page.length);
        res.getOutputStream().write(page);
    }

    private static boolean isAcs(String path) {
        Route route = Route.match(path);
        return route != null && route.view().equals("_sso/acs");
    }
}
