package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hubsso.hub.HubMeters;

/**
 * {@code /metrics}: the node's meters in the Prometheus text format ({@link HubMeters}), on every server alike. Like
 * every page it listens on loopback only; a reverse proxy in front should not pass it on.
 */
@WebServlet(name = "metrics", urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient HubMeters meters;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain; version=0.0.4; charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getWriter().write(meters.scrape());
    }
}
