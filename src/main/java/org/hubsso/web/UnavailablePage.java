package org.hubsso.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The hub's "temporarily unavailable" answer while its database cannot be reached: 503, {@code Retry-After}, and the
 * static page {@code /WEB-INF/errors/503.html}, which needs nothing that could be unavailable itself.
 */
final class UnavailablePage {

    /** Seconds a client is asked to wait: the database pool retries at every request, so recovery shows at once. */
    static final int RETRY_AFTER_SECONDS = 10;

    private UnavailablePage() {
    }

    static void write(ServletContext context, HttpServletResponse res) throws IOException {
        byte[] page;
        try (InputStream in = context.getResourceAsStream("/WEB-INF/errors/503.html")) {
            page = in == null ? "Temporarily unavailable".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
        res.resetBuffer();
        res.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        res.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        res.setHeader("Cache-Control", "no-store");
        res.setContentType("text/html");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.setContentLength(page.length);
        res.getOutputStream().write(page);
    }
}
