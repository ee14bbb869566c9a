package org.hubsso.mail;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.hubsso.hub.HubClock;

/**
 * Runs this node's sender: right after a commit that queued mail (on the managed executor, so the page does not wait)
 * and every few seconds from {@link MailTimer} (retries that came due, mail queued while this node was down). One round
 * at a time on a node; the nodes of a cluster share the queue through its claims.
 */
@ApplicationScoped
public class MailDispatcher {

    private static final Logger LOG = Logger.getLogger(MailDispatcher.class.getName());
    /** How long a delivered message's row (subject and recipient, no bodies) is kept. */
    static final Duration KEEP_SENT = Duration.ofDays(7);

    @Inject
    Config config;

    @Resource(lookup = "java:app/jdbc/hub")
    DataSource dataSource;

    @Inject
    HubClock clock;

    @Resource
    ManagedExecutorService executor;

    private final AtomicInteger wanted = new AtomicInteger();
    private volatile MailQueue queue;
    private volatile MailSender sender;

    /**
     * Reads the settings (a bad value stops the deployment, naming its key) and starts sending. Observed after the
     * hub's own start, which has the default priority, so the schema has been migrated by then.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) @Initialized(ApplicationScoped.class)
            Object event) {
        MailSettings settings = MailSettings.read(key -> config.getOptionalValue(key, String.class));
        Delivery delivery = settings.smtp() ? new SmtpDelivery(settings)
                : new OutboxDelivery(settings.outbox(), settings.from());
        queue = new MailQueue(dataSource, clock);
        sender = new MailSender(queue, delivery, clock, settings.claimLease());
        LOG.info("Outgoing mail goes to " + settings);
        kick();
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) MailQueued event) {
        kick();
    }

    /**
     * Starts a round on the executor unless one is running; a kick during a round makes it go round once more. Never
     * blocks. Before the start it does nothing.
     */
    public void kick() {
        if (sender != null && wanted.getAndIncrement() == 0) {
            try {
                executor.execute(this::rounds);
            } catch (RejectedExecutionException stopping) {
                wanted.set(0);
            }
        }
    }

    /** Forgets delivered messages after {@link #KEEP_SENT}. */
    public void purgeSent() {
        MailQueue q = queue;
        if (q != null) {
            int purged = q.purgeSent(KEEP_SENT);
            if (purged > 0) {
                LOG.fine(() -> "Purged " + purged + " delivered messages from the mail queue");
            }
        }
    }

    private void rounds() {
        int missed = 1;
        do {
            try {
                sender.deliverDue();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Outgoing mail: the queue could not be read or updated; trying again in a few"
                        + " seconds", e);
            }
            missed = wanted.addAndGet(-missed);
        } while (missed != 0);
    }
}
