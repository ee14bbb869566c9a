package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.hubsso.TestPostgres;
import org.hubsso.hub.HubClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Several nodes share one queue: two senders, each with its own connections, deliver the same queue at the same time,
 * and every message arrives exactly once; a claim that lapsed (its node died mid-delivery) is taken over. On H2 and on
 * PostgreSQL, where clusters run.
 */
class MailClaimTest {

    static final int MESSAGES = 24;

    private final HubClock clock = new HubClock();
    private int port;
    private TestSmtpServer smtp;

    @BeforeEach
    void setUp() {
        clock.use(Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));
        port = TestSmtpServer.freePort();
        smtp = TestSmtpServer.started(port, "smtp");
    }

    @AfterEach
    void tearDown() {
        smtp.stop();
    }

    @Test
    void twoSendersOnH2DeliverEachMessageOnce() throws Exception {
        try (MailTestDatabase db = new MailTestDatabase()) {
            twoSendersDeliverEachMessageOnce(db.dataSource);
        }
    }

    @Test
    void twoSendersOnPostgreSqlDeliverEachMessageOnce() throws Exception {
        PGSimpleDataSource pg = TestPostgres.required("the mail claim test needs it");
        String schema = "hub_mail_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            MailTestDatabase.migrated(pg, schema);
            pg.setCurrentSchema(schema);
            twoSendersDeliverEachMessageOnce(pg);
        } finally {
            pg.setCurrentSchema(null);
            try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void twoSendersDeliverEachMessageOnce(DataSource dataSource) throws Exception {
        MailQueue queue = new MailQueue(dataSource, clock);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(queue.add(new MailMessage("member" + i + "@example.org", "Message " + i, "Body " + i)));
        }
        MailSettings settings = MailSettingsTest.settings("hub.mail.host", "127.0.0.1", "hub.mail.port",
                Integer.toString(port), "hub.mail.security", "none");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> rounds = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                MailSender sender = new MailSender(new MailQueue(dataSource, clock), new SmtpDelivery(settings), clock,
                        settings.claimLease());
                rounds.add(nodes.submit(() -> {
                    start.await();
                    return sender.deliverDue();
                }));
            }
            start.countDown();
            int a = rounds.get(0).get();
            int b = rounds.get(1).get();
            assertEquals(MESSAGES, a + b, "delivered by the two nodes together (" + a + " + " + b + ")");
        } finally {
            nodes.shutdownNow();
        }

        assertTrue(smtp.waitForIncomingEmail(10_000, MESSAGES));
        Map<String, Integer> arrivals = new TreeMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            String to = ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
            arrivals.merge(to, 1, Integer::sum);
        }
        assertEquals(MESSAGES, arrivals.size(), "every recipient got mail: " + arrivals);
        assertTrue(arrivals.values().stream().allMatch(n -> n == 1), "nobody got a message twice: " + arrivals);
        for (long id : ids) {
            Map<String, Object> row = MailTestDatabase.row(dataSource, id);
            assertEquals("SENT", row.get("status"));
            assertEquals(1, ((Number) row.get("attempts")).intValue(), "claimed once");
        }
    }

    @Test
    void aClaimThatLapsedIsTakenOverAndItsHolderCanNoLongerRecord() throws Exception {
        try (MailTestDatabase db = new MailTestDatabase()) {
            MailQueue queue = new MailQueue(db.dataSource, clock);
            long id = queue.add(new MailMessage("ada@example.org", "Hello", "Body"));
            QueuedMail dead = queue.claimNext(Duration.ofMinutes(2)).orElseThrow(); // its node dies now
            assertEquals(Optional.empty(), queue.claimNext(Duration.ofMinutes(2)), "held by the first claim");

            clock.use(Clock.fixed(clock.now().plus(Duration.ofMinutes(2)).plusSeconds(1), ZoneOffset.UTC));
            MailSettings settings = MailSettingsTest.settings("hub.mail.host", "127.0.0.1", "hub.mail.port",
                    Integer.toString(port), "hub.mail.security", "none");
            assertEquals(1, new MailSender(queue, new SmtpDelivery(settings), clock, Duration.ofMinutes(2))
                    .deliverDue());

            assertTrue(smtp.waitForIncomingEmail(5_000, 1));
            assertEquals("SENT", db.row(id).get("status"));
            assertEquals(2, db.row(id).get("attempts"));
            assertFalse(queue.delivered(dead), "the lapsed claim records nothing");
            assertFalse(queue.retryAt(dead, clock.now(), "late"), "the lapsed claim records nothing");
            assertEquals("SENT", db.row(id).get("status"));
        }
    }

}
