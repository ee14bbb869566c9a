package org.hubsso.hub;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation rules for user-supplied names, emails and texts. Each failure names its field. */
public final class Names {

    public static final int NAME_MAX = 40;
    public static final int REPO_NAME_MAX = 96;
    public static final int DISPLAY_NAME_MAX = 100;
    public static final int EMAIL_MAX = 254;
    public static final int README_MAX = 20000;
    public static final int PASSWORD_MIN = 10;
    public static final int PASSWORD_MAX = 200;

    /** Letters, digits, '-', '_' and '.'; starts and ends with a letter or digit; no "--" or "..". */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** First path segments the application uses itself; no organization or user may take them. */
    private static final Set<String> RESERVED = Set.of("organizations", "settings", "login", "logout", "join",
            "new", "api", "health", "metrics", "openapi", "views", "resources", "static", "assets",
            "jakarta.faces.resource", "web-inf", "meta-inf", "models", "datasets", "spaces", "docs",
            "sso", "saml", "oidc", "favicon.ico", "robots.txt", "search", "pricing", "enterprise");

    private Names() {
    }

    public static String requireName(String field, String value, int max) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            throw new ValidationException(field, "Required.");
        }
        if (v.length() < 2 || v.length() > max) {
            throw new ValidationException(field, "Use 2 to " + max + " characters.");
        }
        if (!NAME.matcher(v).matches() || v.contains("--") || v.contains("..")) {
            throw new ValidationException(field, "Use letters, digits, '-', '_' or '.', starting and ending"
                    + " with a letter or digit.");
        }
        return v;
    }

    /** An organization or user name: also must not be one of the application's own paths. */
    public static String requireNamespace(String field, String value) {
        String v = requireName(field, value, NAME_MAX);
        if (RESERVED.contains(v.toLowerCase(Locale.ROOT))) {
            throw new ValidationException(field, "This name is reserved.");
        }
        return v;
    }

    /** Whether a first path segment belongs to the application rather than to an organization. */
    public static boolean isReserved(String segment) {
        return RESERVED.contains(segment.toLowerCase(Locale.ROOT));
    }

    public static String requireRepoName(String field, String value) {
        return requireName(field, value, REPO_NAME_MAX);
    }

    public static String requireDisplayName(String field, String value, String fallback) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            v = fallback;
        }
        if (v.length() > DISPLAY_NAME_MAX) {
            throw new ValidationException(field, "Use at most " + DISPLAY_NAME_MAX + " characters.");
        }
        if (hasControl(v)) {
            throw new ValidationException(field, "Control characters are not allowed.");
        }
        return v;
    }

    public static String requireEmail(String field, String value) {
        String v = trimmed(value);
        if (v.isEmpty()) {
            throw new ValidationException(field, "Required.");
        }
        if (v.length() > EMAIL_MAX || !EMAIL.matcher(v).matches()) {
            throw new ValidationException(field, "Enter an email address like name@example.com.");
        }
        return v;
    }

    public static char[] requirePassword(String field, char[] value) {
        if (value == null || value.length == 0) {
            throw new ValidationException(field, "Required.");
        }
        if (value.length < PASSWORD_MIN || value.length > PASSWORD_MAX) {
            throw new ValidationException(field, "Use " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters.");
        }
        return value;
    }

    public static String requireText(String field, String value, int max) {
        String v = value == null ? "" : value.replace("\r\n", "\n");
        if (v.length() > max) {
            throw new ValidationException(field, "Use at most " + max + " characters.");
        }
        return v;
    }

    /**
     * The comparison key of an email: only the ASCII letters A-Z are folded to lower case; every other character is
     * kept as it is. {@code String.toLowerCase} would fold look-alikes onto ASCII (the Kelvin sign U+212A becomes
     * "k", U+0130 becomes "i" plus a dot), so an IdP asserting such an address could match another person's
     * account. Account emails are ASCII (see {@link #requireEmail}), so a non-ASCII address never matches one.
     */
    public static String emailKey(String address) {
        String trimmed = address.trim();
        StringBuilder key = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            key.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return key.toString();
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.strip();
    }

    private static boolean hasControl(String v) {
        return v.chars().anyMatch(Character::isISOControl);
    }
}
