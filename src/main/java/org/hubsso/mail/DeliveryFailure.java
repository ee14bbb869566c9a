package org.hubsso.mail;

/**
 * Why a message was not delivered, in words safe to store, log and show the site admin: a server's reply or a
 * connection error, never a password or a body.
 */
final class DeliveryFailure extends Exception {

    private static final long serialVersionUID = 1L;
    static final int DETAIL_MAX = 500;

    /** What the failure means for the message and for the rest of the queue. */
    enum Kind {
        /** The server refused this message for good (a 5xx reply): not retried. */
        REFUSED,
        /** The server refused this message for now (a 4xx reply): retried later, the next message is tried now. */
        DEFERRED,
        /**
         * The server could not be reached or used (connection, TLS, authentication, an unwritable outbox): this
         * message is retried later, and the sender stops until the next round, since the next would fail alike.
         */
        UNAVAILABLE
    }

    private final Kind kind;

    DeliveryFailure(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /** One line of at most {@link #DETAIL_MAX} characters, with {@code secret} (when not blank) blotted out. */
    static String clean(String text, String secret) {
        String s = text == null ? "" : text;
        if (secret != null && !secret.isBlank()) {
            s = s.replace(secret, "[password]");
        }
        s = s.replaceAll("\\p{Cntrl}+", " ").strip();
        return s.length() <= DETAIL_MAX ? s : s.substring(0, DETAIL_MAX - 3) + "...";
    }
}
