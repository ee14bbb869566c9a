package org.hubsso.access;

/** The outcome of one access decision in an organization's namespace. */
public enum Decision {
    /** Go ahead. */
    ALLOW(200),
    /** Private content or settings asked for by a non-member: answered as if it did not exist. */
    NOT_FOUND(404),
    /** A member whose role is too low, or a non-member asking to change public content. */
    FORBIDDEN(403),
    /** A member of an organization that enforces SSO, without a valid SSO session for it. */
    SSO_REQUIRED(403);

    private final int httpStatus;

    Decision(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Lower-case, hyphenated form used in the {@code X-Hub-Access} response header and in pages. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
