package org.hubsso.hub;

/** Organization roles, from least to most privileged. The declaration order is the privilege order. */
public enum Role {
    READ("read"), CONTRIBUTOR("contributor"), WRITE("write"), ADMIN("admin");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** Parses a lower- or upper-case role name; returns null for anything else. */
    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        for (Role r : values()) {
            if (r.label.equalsIgnoreCase(value.trim())) {
                return r;
            }
        }
        return null;
    }
}
