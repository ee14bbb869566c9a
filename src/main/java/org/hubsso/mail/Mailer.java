package org.hubsso.mail;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Objects;
import javax.sql.DataSource;
import org.hubsso.hub.HubClock;

/**
 * Sends mail, for every feature that needs to (email verification, password reset, ...). A message is queued in the
 * caller's transaction: it exists only if the caller's work commits, and it is delivered after the commit, at once by
 * this node or later by any node, with retries. The caller never waits for a mail server.
 */
@ApplicationScoped
@Transactional
public class Mailer {

    @Resource(lookup = "java:app/jdbc/hub")
    DataSource dataSource;

    @Inject
    HubClock clock;

    @Inject
    Event<MailQueued> queued;

    /**
     * Queues the message, joining the caller's transaction (or in one of its own when there is none).
     *
     * @return the queued message's id
     */
    public long enqueue(MailMessage message) {
        long id = new MailQueue(dataSource, clock).add(Objects.requireNonNull(message, "message"));
        queued.fire(new MailQueued(id));
        return id;
    }

    /**
     * Queues a plain-text message.
     *
     * @throws IllegalArgumentException for a bad address, subject or body (see {@link MailMessage})
     */
    public long enqueue(String to, String subject, String text) {
        return enqueue(new MailMessage(to, subject, text));
    }
}
