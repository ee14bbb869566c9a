package org.hubsso.mail;

import java.time.Instant;

/**
 * A message a sender has claimed from the queue: only the holder of {@code claim} may record how its delivery went.
 *
 * @param attempts delivery attempts including this one
 */
record QueuedMail(long id, String claim, MailMessage message, int attempts, Instant createdAt) {

    /** For log lines: never the bodies. */
    String describe() {
        return "Mail #" + id + " to " + message.to() + " (\"" + message.subject() + "\")";
    }
}
