package org.hubsso.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.hubsso.hub.HubClock;

/**
 * The {@code mail_queue} table, in plain JDBC on the hub's datasource. On the server that is the JTA datasource: a
 * message added inside a transaction is part of it (it exists only if the transaction commits); the sender's calls
 * run outside any transaction, so each of its statements commits at once and other nodes see its claims.
 *
 * <p>A message is {@code PENDING} until a sender claims it ({@code SENDING}, with a random claim token and a lease),
 * then {@code SENT} (its bodies blanked), {@code PENDING} again with a later {@code next_attempt_at}, or {@code FAILED}.
 * A claim is a conditional UPDATE, so of several senders exactly one takes a message; a claim whose lease ran out (its
 * node stopped mid-delivery) may be taken again. Only the claim's holder records the outcome.
 */
final class MailQueue {

    /** Candidates read per claim; a sender that loses one to another node tries the next. */
    private static final int CANDIDATES = 8;
    private static final String DUE = "((status = 'PENDING' AND next_attempt_at <= ?)"
            + " OR (status = 'SENDING' AND claimed_until < ?))";

    private final DataSource dataSource;
    private final HubClock clock;

    MailQueue(DataSource dataSource, HubClock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Adds a message, due now; returns its id. */
    long add(MailMessage m) {
        OffsetDateTime now = at(clock.now());
        String sql = "INSERT INTO mail_queue (recipient, subject, text_body, html_body, status, attempts, created_at,"
                + " next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, m.to());
            s.setString(2, m.subject());
            s.setString(3, m.text());
            s.setString(4, m.html());
            s.setObject(5, now);
            s.setObject(6, now);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new IllegalStateException("The database returned no id for the queued message");
                }
                return keys.getLong(1); // id is the first column (PostgreSQL returns the whole row)
            }
        } catch (SQLException e) {
            throw failed("queue a message", e);
        }
    }

    /**
     * Claims the next due message for {@code lease}, counting the attempt; empty when none is due. A stored message
     * that no longer passes {@link MailMessage}'s checks is marked failed and skipped.
     */
    Optional<QueuedMail> claimNext(Duration lease) {
        try (Connection c = dataSource.getConnection()) {
            for (int round = 0; round < 100; round++) {
                List<Long> due = due(c);
                if (due.isEmpty()) {
                    return Optional.empty();
                }
                for (long id : due) {
                    String claim = UUID.randomUUID().toString();
                    if (claim(c, id, claim, lease)) {
                        Optional<QueuedMail> mail = read(c, id, claim);
                        if (mail.isPresent()) {
                            return mail;
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw failed("claim a message", e);
        }
    }

    /** Marks a delivered message sent and blanks its bodies; false when the claim was no longer held. */
    boolean delivered(QueuedMail mail) {
        return update("UPDATE mail_queue SET status = 'SENT', sent_at = ?, text_body = '', html_body = NULL,"
                + " last_error = NULL, claim_token = NULL, claimed_until = NULL WHERE id = ? AND claim_token = ?",
                at(clock.now()), mail.id(), mail.claim()) == 1;
    }

    /** Puts the message back, due at {@code next}, with the error of this attempt. */
    boolean retryAt(QueuedMail mail, Instant next, String error) {
        return update("UPDATE mail_queue SET status = 'PENDING', next_attempt_at = ?, last_error = ?,"
                + " claim_token = NULL, claimed_until = NULL WHERE id = ? AND claim_token = ?",
                at(next), error, mail.id(), mail.claim()) == 1;
    }

    /** Gives the message up, keeping it (bodies included, for a retry by the admin) with its last error. */
    boolean failed(QueuedMail mail, String error) {
        return update("UPDATE mail_queue SET status = 'FAILED', last_error = ?, claim_token = NULL,"
                + " claimed_until = NULL WHERE id = ? AND claim_token = ?", error, mail.id(), mail.claim()) == 1;
    }

    /**
     * Undelivered messages (pending, being sent, failed), newest first, without their bodies: the first {@code limit},
     * or (keyset) the {@code limit} after {@code after}, read through the creation-time index whatever the page.
     */
    List<UndeliveredMail> undelivered(UndeliveredMail after, int limit) {
        String sql = "SELECT id, recipient, subject, status, attempts, created_at, last_attempt_at, next_attempt_at,"
                + " last_error FROM mail_queue WHERE status <> 'SENT'"
                + (after == null ? "" : " AND created_at <= ? AND (created_at < ? OR id < ?)")
                + " ORDER BY created_at DESC, id DESC FETCH FIRST ? ROWS ONLY";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                s.setObject(i++, at(after.getCreatedAt()));
                s.setObject(i++, at(after.getCreatedAt()));
                s.setLong(i++, after.getId());
            }
            s.setInt(i, limit);
            List<UndeliveredMail> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UndeliveredMail(rs.getLong(1), rs.getString(2), rs.getString(3),
                            MailStatus.valueOf(rs.getString(4)), rs.getInt(5), instant(rs, 6), instant(rs, 7),
                            instant(rs, 8), rs.getString(9)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failed("list undelivered messages", e);
        }
    }

    long countUndelivered() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM mail_queue WHERE status <> 'SENT'");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failed("count undelivered messages", e);
        }
    }

    /** Makes a failed or waiting message due now, with a fresh count of attempts; false when there is none such. */
    boolean retry(long id) {
        return update("UPDATE mail_queue SET status = 'PENDING', attempts = 0, next_attempt_at = ? WHERE id = ?"
                + " AND status IN ('PENDING', 'FAILED')", at(clock.now()), id) == 1;
    }

    /** Deletes a failed or waiting message (never one being sent); false when there is none such. */
    boolean discard(long id) {
        return update("DELETE FROM mail_queue WHERE id = ? AND status IN ('PENDING', 'FAILED')", id) == 1;
    }

    /** Deletes sent messages older than {@code age}; returns how many. */
    int purgeSent(Duration age) {
        return update("DELETE FROM mail_queue WHERE status = 'SENT' AND sent_at < ?", at(clock.now().minus(age)));
    }

    private List<Long> due(Connection c) throws SQLException {
        OffsetDateTime now = at(clock.now());
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM mail_queue WHERE " + DUE
                + " ORDER BY next_attempt_at, id FETCH FIRST " + CANDIDATES + " ROWS ONLY")) {
            s.setObject(1, now);
            s.setObject(2, now);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private boolean claim(Connection c, long id, String claim, Duration lease) throws SQLException {
        OffsetDateTime now = at(clock.now());
        try (PreparedStatement s = c.prepareStatement("UPDATE mail_queue SET status = 'SENDING', claim_token = ?,"
                + " claimed_until = ?, attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND " + DUE)) {
            s.setString(1, claim);
            s.setObject(2, at(clock.now().plus(lease)));
            s.setObject(3, now);
            s.setLong(4, id);
            s.setObject(5, now);
            s.setObject(6, now);
            return s.executeUpdate() == 1;
        }
    }

    private Optional<QueuedMail> read(Connection c, long id, String claim) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT recipient, subject, text_body, html_body, attempts,"
                + " created_at FROM mail_queue WHERE id = ? AND claim_token = ?")) {
            s.setLong(1, id);
            s.setString(2, claim);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                MailMessage message;
                try {
                    message = new MailMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                } catch (IllegalArgumentException invalid) {
                    failed(new QueuedMail(id, claim, null, rs.getInt(5), instant(rs, 6)),
                            "The stored message is invalid: " + invalid.getMessage());
                    return Optional.empty();
                }
                return Optional.of(new QueuedMail(id, claim, message, rs.getInt(5), instant(rs, 6)));
            }
        }
    }

    private int update(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed("update the mail queue", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The cause stays with it for the log; statements take their values as parameters. */
    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("Cannot " + what + " in mail_queue: " + e.getMessage(), e);
    }
}
