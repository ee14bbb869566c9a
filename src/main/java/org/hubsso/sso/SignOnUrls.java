package org.hubsso.sso;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.hubsso.hub.ValidationException;

/** IdP endpoint URLs an admin enters: https, or http for a local IdP (localhost, 127.0.0.1, [::1]) only. */
public final class SignOnUrls {

    public static final int MAX_LENGTH = 2000;

    private SignOnUrls() {
    }

    public static URI require(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new ValidationException(field, "Required.");
        }
        if (v.length() > MAX_LENGTH) {
            throw new ValidationException(field, "Use at most " + MAX_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new ValidationException(field, "Enter a full URL such as https://idp.example.com/sso/saml.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new ValidationException(field, "Enter a full URL such as https://idp.example.com/sso/saml.");
        }
        if (scheme.equals("http") && !isLocal(host)) {
            throw new ValidationException(field, "Use https. Plain http is only accepted for an IdP on this"
                    + " machine (localhost).");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ValidationException(field, "Use an https URL.");
        }
        try {
            IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "The host name is not valid.");
        }
        return uri;
    }

    static boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("127.0.0.1") || h.equals("[::1]");
    }
}
