package org.hubsso.web;

/** Same-origin return paths only: "/acme/repo?x=1" passes; "//evil", "/\evil", "https://..." do not. */
public final class ReturnTo {

    public static final int MAX_LENGTH = 1000;

    private ReturnTo() {
    }

    /** @return the path when it is a safe same-origin relative path, else {@code fallback} */
    public static String sanitize(String value, String fallback) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || value.charAt(0) != '/') {
            return fallback;
        }
        if (value.length() > 1 && (value.charAt(1) == '/' || value.charAt(1) == '\\')) {
            return fallback;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\' || c > 0x7e) {
                return fallback;
            }
        }
        return value;
    }
}
