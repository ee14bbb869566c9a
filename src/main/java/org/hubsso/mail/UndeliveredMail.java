package org.hubsso.mail;

import java.time.Instant;

/**
 * A message not delivered (yet), as the site admin sees it: recipient, subject, state, attempts and last error, never
 * its bodies. Getters, so a Faces page can show it.
 */
public final class UndeliveredMail {

    private final long id;
    private final String recipient;
    private final String subject;
    private final MailStatus status;
    private final int attempts;
    private final Instant createdAt;
    private final Instant lastAttemptAt;
    private final Instant nextAttemptAt;
    private final String lastError;

    UndeliveredMail(long id, String recipient, String subject, MailStatus status, int attempts, Instant createdAt,
            Instant lastAttemptAt, Instant nextAttemptAt, String lastError) {
        this.id = id;
        this.recipient = recipient;
        this.subject = subject;
        this.status = status;
        this.attempts = attempts;
        this.createdAt = createdAt;
        this.lastAttemptAt = lastAttemptAt;
        this.nextAttemptAt = nextAttemptAt;
        this.lastError = lastError;
    }

    public long getId() {
        return id;
    }

    public String getRecipient() {
        return recipient;
    }

    public String getSubject() {
        return subject;
    }

    public MailStatus getStatus() {
        return status;
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** {@code null} before the first attempt. */
    public Instant getLastAttemptAt() {
        return lastAttemptAt;
    }

    /** When a pending message is tried next; meaningless for a failed one. */
    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    /** The server's reply or the connection error of the last attempt, or {@code null}. */
    public String getLastError() {
        return lastError;
    }
}
