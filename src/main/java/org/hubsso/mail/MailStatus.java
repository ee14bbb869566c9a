package org.hubsso.mail;

/** Where a queued message stands. */
public enum MailStatus {
    /** Waiting for its (next) attempt. */
    PENDING,
    /** Claimed by a sender, being delivered now. */
    SENDING,
    /** Delivered; its bodies are gone, its row goes after a week. */
    SENT,
    /** Given up: refused by the server, or still undeliverable after the last attempt. Kept until an admin acts. */
    FAILED
}
