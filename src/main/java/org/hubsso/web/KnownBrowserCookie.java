package org.hubsso.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hubsso.account.KnownBrowsers;

/**
 * The {@link KnownBrowsers#COOKIE} cookie: read on a sign-in, set after a good one. Host-only, HTTP-only,
 * {@code SameSite=Lax}, secure on HTTPS, kept for {@link KnownBrowsers#UNUSED}.
 */
final class KnownBrowserCookie {

    private KnownBrowserCookie() {
    }

    static String read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (KnownBrowsers.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    static void write(HttpServletRequest request, HttpServletResponse response, String token) {
        if (token == null) {
            return;
        }
        Cookie cookie = new Cookie(KnownBrowsers.COOKIE, token);
        String context = request.getContextPath();
        cookie.setPath(context == null || context.isEmpty() ? "/" : context);
        cookie.setMaxAge((int) KnownBrowsers.UNUSED.toSeconds());
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
    }
}
