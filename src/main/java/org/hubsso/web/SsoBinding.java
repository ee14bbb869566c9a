package org.hubsso.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Binds an SSO sign-in to the browser session that started it: a random secret kept in the HTTP session (it
 * survives the session id change at sign-in), of which only the SHA-256 is stored with the pending request.
 */
final class SsoBinding {

    static final String ATTRIBUTE = "hub.sso.binding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SsoBinding() {
    }

    /** The binding of this session, created on first use. */
    static String of(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object secret = session.getAttribute(ATTRIBUTE);
        if (!(secret instanceof String)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(ATTRIBUTE, secret);
        }
        return sha256((String) secret);
    }

    /** The binding of this session, or a value that matches nothing when the session has none. */
    static String existing(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object secret = session == null ? null : session.getAttribute(ATTRIBUTE);
        return secret instanceof String s ? sha256(s) : "-";
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
