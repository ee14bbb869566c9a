package org.hubsso.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.mail.DeliveryFailure.Kind;

/**
 * Delivers the due messages of the queue one after the other. A message the server defers, or that cannot reach it,
 * is tried again later, each wait twice the one before ({@link #FIRST_RETRY} up to {@link #LONGEST_WAIT}); after
 * {@link #MAX_ATTEMPTS} attempts, or at once when the server refuses it for good, it is marked failed and kept for the
 * site admin. Every failure is logged at WARNING with the server's reply, never with the bodies.
 *
 * <p>A message is delivered at least once: should a node stop after the server took a message but before the queue
 * recorded it, the claim's lease runs out and another sender delivers it again.
 */
final class MailSender {

    private static final Logger LOG = Logger.getLogger(MailSender.class.getName());
    static final int MAX_ATTEMPTS = 10;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_WAIT = Duration.ofHours(1);
    /** Messages per round at most, so one round never runs unbounded; the next round goes on. */
    static final int MAX_PER_ROUND = 500;

    private final MailQueue queue;
    private final Delivery delivery;
    private final HubClock clock;
    private final Duration lease;

    MailSender(MailQueue queue, Delivery delivery, HubClock clock, Duration lease) {
        this.queue = queue;
        this.delivery = delivery;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * Delivers due messages until none is due, or until the server is unavailable (the next would fail alike).
     *
     * @return how many were delivered
     */
    int deliverDue() {
        int delivered = 0;
        for (int i = 0; i < MAX_PER_ROUND; i++) {
            Optional<QueuedMail> next = queue.claimNext(lease);
            if (next.isEmpty()) {
                break;
            }
            QueuedMail mail = next.get();
            try {
                delivery.deliver(mail);
            } catch (DeliveryFailure failure) {
                record(mail, failure);
                if (failure.kind() == Kind.UNAVAILABLE) {
                    break;
                }
                continue;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, mail.describe() + ": unexpected error while delivering it", e);
                record(mail, new DeliveryFailure(Kind.UNAVAILABLE, "Unexpected error: " + e.getClass().getName()));
                break;
            }
            if (queue.delivered(mail)) {
                delivered++;
                LOG.fine(() -> mail.describe() + " delivered");
            } else {
                LOG.warning(mail.describe() + " was delivered after its claim had run out: another node may deliver it"
                        + " again");
            }
        }
        return delivered;
    }

    private void record(QueuedMail mail, DeliveryFailure failure) {
        String error = failure.getMessage();
        boolean recorded;
        if (failure.kind() == Kind.REFUSED) {
            recorded = queue.failed(mail, error);
            LOG.warning(mail.describe() + " was refused and will not be retried: " + error);
        } else if (mail.attempts() >= MAX_ATTEMPTS) {
            recorded = queue.failed(mail, error);
            LOG.warning(mail.describe() + " was not delivered after " + mail.attempts() + " attempts; given up: "
                    + error);
        } else {
            Instant next = clock.now().plus(backoff(mail.attempts()));
            recorded = queue.retryAt(mail, next, error);
            LOG.warning(mail.describe() + " was not delivered (attempt " + mail.attempts() + " of " + MAX_ATTEMPTS
                    + "), next attempt at " + next + ": " + error);
        }
        if (!recorded) {
            LOG.warning(mail.describe() + ": its claim had run out before the outcome was recorded");
        }
    }

    /** The wait after the given number of failed attempts. */
    static Duration backoff(int attempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }
}
