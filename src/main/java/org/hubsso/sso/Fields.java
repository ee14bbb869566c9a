package org.hubsso.sso;

import org.hubsso.hub.ValidationException;

/** The one check of the short text fields of the SSO settings: stripped, bounded, no control characters. */
final class Fields {

    private Fields() {
    }

    /** A required value, stripped; {@code missing} is the message when it is blank. */
    static String required(String field, String value, int max, String missing) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new ValidationException(field, missing);
        }
        return bounded(field, v, max);
    }

    /** An optional value, stripped; blank gives {@code fallback}. */
    static String optional(String field, String value, int max, String fallback) {
        return value == null || value.isBlank() ? fallback : bounded(field, value.strip(), max);
    }

    private static String bounded(String field, String v, int max) {
        if (v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(field, "Use at most " + max + " characters, no control characters.");
        }
        return v;
    }
}
