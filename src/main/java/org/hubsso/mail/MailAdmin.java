package org.hubsso.mail;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import javax.sql.DataSource;
import org.hubsso.hub.HubClock;

/**
 * What the site admin sees of outgoing mail: the messages not delivered (yet), with their last error, and what can be
 * done about them. Callers must have checked that the viewer is a site admin; no body is ever shown.
 */
@ApplicationScoped
@Transactional
public class MailAdmin {

    public static final int PAGE_SIZE = 50;

    @Resource(lookup = "java:app/jdbc/hub")
    DataSource dataSource;

    @Inject
    HubClock clock;

    @Inject
    Event<MailQueued> queued;

    /** One page (from 1) of undelivered messages, newest first. */
    public Page undelivered(int number) {
        int page = Math.max(1, Math.min(number, 100_000));
        List<UndeliveredMail> rows = queue().undelivered((page - 1) * PAGE_SIZE, PAGE_SIZE + 1);
        boolean more = rows.size() > PAGE_SIZE;
        return new Page(more ? rows.subList(0, PAGE_SIZE) : rows, page, more);
    }

    public long countUndelivered() {
        return queue().countUndelivered();
    }

    /** Sends a failed or waiting message again now, with a fresh count of attempts; false when there is none such. */
    public boolean retry(long id) {
        boolean retried = queue().retry(id);
        if (retried) {
            queued.fire(new MailQueued(id));
        }
        return retried;
    }

    /** Deletes a failed or waiting message; false when there is none such (or it is being sent right now). */
    public boolean discard(long id) {
        return queue().discard(id);
    }

    private MailQueue queue() {
        return new MailQueue(dataSource, clock);
    }

    /** One page of rows, and whether there is a next one. */
    public static final class Page {
        private final List<UndeliveredMail> rows;
        private final int number;
        private final boolean more;

        Page(List<UndeliveredMail> rows, int number, boolean more) {
            this.rows = rows;
            this.number = number;
            this.more = more;
        }

        public List<UndeliveredMail> getRows() {
            return rows;
        }

        public int getNumber() {
            return number;
        }

        public boolean isMore() {
            return more;
        }
    }
}
