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

    /**
     * One page of undelivered messages, newest first: the first, or the one after the last row of the page before
     * ({@code after}, null for the first), read by keyset whatever the page.
     */
    public Page undelivered(UndeliveredMail after) {
        List<UndeliveredMail> rows = queue().undelivered(after, PAGE_SIZE + 1);
        boolean more = rows.size() > PAGE_SIZE;
        return new Page(more ? List.copyOf(rows.subList(0, PAGE_SIZE)) : rows, more);
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
        private final boolean more;

        Page(List<UndeliveredMail> rows, boolean more) {
            this.rows = rows;
            this.more = more;
        }

        public List<UndeliveredMail> getRows() {
            return rows;
        }

        public boolean isMore() {
            return more;
        }
    }
}
