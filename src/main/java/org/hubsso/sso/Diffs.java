package org.hubsso.sso;

import java.util.Map;
import java.util.Objects;

/** Field-level differences for the audit trail: {@code "before -> after"}, only for fields that changed. */
final class Diffs {

    private Diffs() {
    }

    static void put(Map<String, Object> into, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            into.put(field, arrow(before, after));
        }
    }

    static String arrow(Object before, Object after) {
        return before + " -> " + after;
    }
}
