package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The public URL of the current page, inside the application, for links that bring the user back here. */
@Named
@RequestScoped
public class Here {

    @Inject
    HttpServletRequest request;

    /** The page's path and query (without the context path), as a same-origin return path. */
    public String getPath() {
        Object uri = request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI);
        Object query = request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String q = uri == null ? request.getQueryString() : (String) query;
        String inApp = path.substring(Math.min(request.getContextPath().length(), path.length()));
        return ReturnTo.sanitize(inApp + (q == null ? "" : "?" + q), "/");
    }

    /** The page's path without its query, URL-encoded: where to come back to without repeating a step. */
    public String getEncodedPathWithoutQuery() {
        String path = getPath();
        int query = path.indexOf('?');
        return URLEncoder.encode(query < 0 ? path : path.substring(0, query), StandardCharsets.UTF_8);
    }

    /** {@link #getPath()} URL-encoded, for a {@code returnTo} parameter. */
    public String getEncodedPath() {
        return URLEncoder.encode(getPath(), StandardCharsets.UTF_8);
    }
}
