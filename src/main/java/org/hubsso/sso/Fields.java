package org.hubsso.sso;

import java.time.Duration;
import org.hubsso.hub.ValidationException;

/**
 * The one check of the fields of the SSO settings, for every protocol: short texts stripped, bounded and free of
 * control characters; the clock skew within its range.
 */
public final class Fields {

    private Fields() {
    }

    /** A required value, stripped; {@code missing} is the message when it is blank. */
    public static String required(String field, String value, int max, String missing) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new ValidationException(field, missing);
        }
        return bounded(field, v, max);
    }

    /** An optional value, stripped; blank gives {@code fallback}. */
    public static String optional(String field, String value, int max, String fallback) {
        return value == null || value.isBlank() ? fallback : bounded(field, value.strip(), max);
    }

    /** A text kept as entered (a secret: not stripped), bounded, no control characters; {@code null} stays. */
    public static String verbatim(String field, String value, int max) {
        return value == null ? null : bounded(field, value, max);
    }

    /** The allowed clock skew in seconds; blank gives the default. */
    public static Duration clockSkew(String field, Integer seconds) {
        long skew = seconds == null ? OrgSsoSettings.DEFAULT_CLOCK_SKEW.toSeconds() : seconds;
        if (skew < 0 || skew > OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()) {
            throw new ValidationException(field, "Use 0 to " + OrgSsoSettings.MAX_CLOCK_SKEW.toSeconds()
                    + " seconds.");
        }
        return Duration.ofSeconds(skew);
    }

    /** At most {@code max} characters, none of them a control character. */
    public static boolean isShortText(String v, int max) {
        return v.length() <= max && v.chars().noneMatch(Character::isISOControl);
    }

    private static String bounded(String field, String v, int max) {
        if (!isShortText(v, max)) {
            throw new ValidationException(field, "Use at most " + max + " characters, no control characters.");
        }
        return v;
    }
}
