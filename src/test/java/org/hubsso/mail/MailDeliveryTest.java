package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.hubsso.hub.HubClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queue and the sender against a real SMTP server (GreenMail on 127.0.0.1) and a real database (H2, migrated by
 * Flyway): what is queued arrives as it was written, failures are kept and retried or given up as the server's
 * replies say, and neither the password nor a body ever reaches the log or the stored error.
 */
class MailDeliveryTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final String LINK_SECRET = "t0ken-Only-For-Ada";

    private final HubClock clock = new HubClock();
    private MailTestDatabase db;
    private MailQueue queue;
    private CapturedLog log;
    private int port;
    private TestSmtpServer smtp;

    @BeforeEach
    void setUp() {
        clock.use(Clock.fixed(T0, ZoneOffset.UTC));
        db = new MailTestDatabase();
        queue = new MailQueue(db.dataSource, clock);
        log = new CapturedLog("org.hubsso.mail");
        port = TestSmtpServer.freePort();
        smtp = TestSmtpServer.started(port, "smtp");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (smtp != null) {
            smtp.stop();
        }
        log.close();
        db.close();
    }

    MailSettings settings(String password, String... more) {
        String[] base = {"hub.mail.host", "127.0.0.1", "hub.mail.port", Integer.toString(port), "hub.mail.security",
            "none", "hub.mail.user", TestSmtpServer.USER, "hub.mail.password", password,
            "hub.mail.connect-timeout", "2s", "hub.mail.timeout", "2s"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return MailSettingsTest.settings(all);
    }

    MailSender sender(MailSettings settings) {
        return new MailSender(queue, new SmtpDelivery(settings), clock, settings.claimLease());
    }

    void advance(Duration d) {
        clock.use(Clock.fixed(clock.now().plus(d), ZoneOffset.UTC));
    }

    @Test
    void retriesWaitTwiceAsLongEachTimeUpToAnHour() {
        assertEquals(Duration.ofSeconds(30), MailSender.backoff(1));
        assertEquals(Duration.ofSeconds(60), MailSender.backoff(2));
        assertEquals(Duration.ofMinutes(32), MailSender.backoff(7));
        assertEquals(Duration.ofHours(1), MailSender.backoff(8));
        assertEquals(Duration.ofHours(1), MailSender.backoff(MailSender.MAX_ATTEMPTS));
    }

    @Test
    void queuedMessagesArriveAsWrittenAndLoseTheirBodiesOnceDelivered() throws Exception {
        long toAda = queue.add(new MailMessage("ada@example.org", "Bestätigen Sie Ihre Adresse",
                "Hallo Ada,\nhttps://hub.example/verify?t=" + LINK_SECRET + "\n"));
        long toBob = queue.add(new MailMessage("bob@example.org", "Reset your password", "Plain part")
                .withHtml("<p>HTML part</p>"));

        assertEquals(2, sender(settings(TestSmtpServer.PASSWORD)).deliverDue());

        assertTrue(smtp.waitForIncomingEmail(5_000, 2));
        MimeMessage ada = received("ada@example.org");
        assertEquals("Bestätigen Sie Ihre Adresse", ada.getSubject());
        assertEquals("no-reply@hub.localhost", ((InternetAddress) ada.getFrom()[0]).getAddress());
        assertEquals("<no-reply@hub.localhost>", ada.getHeader("Return-Path", null), "the envelope sender");
        assertEquals("auto-generated", ada.getHeader("Auto-Submitted", null));
        // The body's last line break is the end of SMTP's DATA, which the receiving server takes off.
        assertEquals("Hallo Ada,\nhttps://hub.example/verify?t=" + LINK_SECRET, unix(ada.getContent()));
        assertEquals(T0, ada.getSentDate().toInstant());

        MimeMessage bob = received("bob@example.org");
        assertEquals("Reset your password", bob.getSubject());
        MimeMultipart alternative = assertInstanceOf(MimeMultipart.class, bob.getContent());
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"), alternative.getContentType());
        assertEquals("Plain part", unix(alternative.getBodyPart(0).getContent()));
        assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));
        assertEquals("<p>HTML part</p>", unix(alternative.getBodyPart(1).getContent()));

        for (long id : List.of(toAda, toBob)) {
            Map<String, Object> row = db.row(id);
            assertEquals("SENT", row.get("status"));
            assertEquals("", row.get("text_body"), "a delivered message keeps no body");
            assertNull(row.get("html_body"));
            assertEquals(1, row.get("attempts"));
        }
        assertEquals(0, queue.countUndelivered());
        assertFalse(log.all().contains(LINK_SECRET), "bodies never reach the log: " + log.all());
        assertFalse(log.all().contains("HTML part"));
    }

    @Test
    void anUnreachableServerIsRetriedLaterAndTheMessageArrivesOnceItIsBack() throws Exception {
        smtp.stop();
        long first = queue.add(new MailMessage("ada@example.org", "First", "One"));
        long second = queue.add(new MailMessage("bob@example.org", "Second", "Two"));
        MailSender sender = sender(settings(TestSmtpServer.PASSWORD));

        assertEquals(0, sender.deliverDue());
        Map<String, Object> row = db.row(first);
        assertEquals("PENDING", row.get("status"));
        assertEquals(1, row.get("attempts"));
        assertTrue(((String) row.get("last_error")).contains("127.0.0.1"), (String) row.get("last_error"));
        assertTrue(((String) row.get("last_error")).contains("ConnectException"), (String) row.get("last_error"));
        assertEquals(T0.plus(MailSender.FIRST_RETRY), next(row));
        assertEquals(0, db.row(second).get("attempts"), "the round stopped: the next would have failed alike");
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.contains("Mail #" + first)
                && l.contains("attempt 1 of " + MailSender.MAX_ATTEMPTS)), log.all());

        smtp = TestSmtpServer.started(port, "smtp");
        assertEquals(1, sender.deliverDue(), "the second is due, the first waits for its retry");
        advance(MailSender.FIRST_RETRY);
        assertEquals(1, sender.deliverDue());
        assertTrue(smtp.waitForIncomingEmail(5_000, 2));
        assertEquals("SENT", db.row(first).get("status"));
        assertEquals(2, db.row(first).get("attempts"));
        assertEquals("One", unix(received("ada@example.org").getContent()));
    }

    @Test
    void aMessageThatNeverGetsThroughIsGivenUpAfterTheLastAttemptAndKept() {
        smtp.stop();
        smtp = null;
        long id = queue.add(new MailMessage("ada@example.org", "Never", "Body"));
        MailSender sender = sender(settings(TestSmtpServer.PASSWORD));
        for (int attempt = 1; attempt <= MailSender.MAX_ATTEMPTS; attempt++) {
            assertEquals("PENDING", db.row(id).get("status"), "before attempt " + attempt);
            assertEquals(0, sender.deliverDue());
            assertEquals(0, sender.deliverDue(), "not due again before its wait is over");
            advance(MailSender.LONGEST_WAIT);
        }
        Map<String, Object> row = db.row(id);
        assertEquals("FAILED", row.get("status"));
        assertEquals(MailSender.MAX_ATTEMPTS, row.get("attempts"));
        assertEquals("Body", row.get("text_body"), "kept whole, so the admin can send it again");
        assertEquals(0, sender.deliverDue());
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.contains("Mail #" + id)
                && l.contains("given up")), log.all());

        List<UndeliveredMail> undelivered = queue.undelivered(null, 10);
        assertEquals(1, undelivered.size());
        assertEquals(MailStatus.FAILED, undelivered.get(0).getStatus());
        assertTrue(undelivered.get(0).getLastError().contains("ConnectException"));
    }

    @Test
    void aRefusedRecipientIsKeptWithTheServersReplyAndADeferredOneIsRetried() throws Exception {
        long nobody = queue.add(new MailMessage("nobody@example.org", "Welcome", "Body"));
        long busy = queue.add(new MailMessage("busy@example.org", "Welcome", "Body"));
        long ada = queue.add(new MailMessage("ada@example.org", "Welcome", "Body"));
        MailSender sender = sender(settings(TestSmtpServer.PASSWORD));

        assertEquals(1, sender.deliverDue(), "a refusal of one recipient does not stop the others");
        Map<String, Object> refused = db.row(nobody);
        assertEquals("FAILED", refused.get("status"));
        assertEquals(1, refused.get("attempts"));
        assertTrue(((String) refused.get("last_error")).startsWith("550 5.1.1"), (String) refused.get("last_error"));
        Map<String, Object> deferred = db.row(busy);
        assertEquals("PENDING", deferred.get("status"));
        assertTrue(((String) deferred.get("last_error")).startsWith("451 4.2.1"), (String) deferred.get("last_error"));
        assertEquals(T0.plus(MailSender.FIRST_RETRY), next(deferred));
        assertEquals("SENT", db.row(ada).get("status"));
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.contains("Mail #" + nobody)
                && l.contains("refused") && l.contains("550")), log.all());

        List<UndeliveredMail> undelivered = queue.undelivered(null, 10);
        assertEquals(List.of(busy, nobody), undelivered.stream().map(UndeliveredMail::getId).toList(),
                "newest first");
        assertEquals(2, queue.countUndelivered());
        assertEquals(List.of(nobody), queue.undelivered(undelivered.get(0), 10).stream()
                .map(UndeliveredMail::getId).toList(), "the page after the first row");
        assertEquals(List.of(), queue.undelivered(undelivered.get(1), 10), "nothing after the last");

        smtp.deferBusy = false;
        advance(MailSender.FIRST_RETRY);
        assertEquals(1, sender.deliverDue());
        assertEquals("SENT", db.row(busy).get("status"));

        assertTrue(queue.retry(nobody), "the admin sends it again");
        assertEquals(0, db.row(nobody).get("attempts"));
        assertEquals(0, sender.deliverDue());
        assertEquals("FAILED", db.row(nobody).get("status"));
        assertTrue(queue.discard(nobody));
        assertNull(db.row(nobody));
        assertFalse(queue.discard(ada), "a delivered message is not the admin's to discard");
    }

    @Test
    void aRefusedLoginKeepsTheMessageAndNeverShowsThePassword() {
        String wrong = "wrong-Pa55word-never-shown";
        long id = queue.add(new MailMessage("ada@example.org", "Hello", "Body"));

        assertEquals(0, sender(settings(wrong)).deliverDue());

        Map<String, Object> row = db.row(id);
        assertEquals("PENDING", row.get("status"), "a login problem is the server's, not the message's");
        String error = (String) row.get("last_error");
        assertTrue(error.contains("hub.mail.user") && error.contains("535"), error);
        assertFalse(error.contains(wrong), error);
        assertFalse(log.all().contains(wrong), log.all());
        assertFalse(log.all().contains(TestSmtpServer.PASSWORD), log.all());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void startTlsIsRequiredNotAttempted() {
        long id = queue.add(new MailMessage("ada@example.org", "Hello", "Body"));

        assertEquals(0, sender(settings(TestSmtpServer.PASSWORD, "hub.mail.security", "starttls")).deliverDue());

        assertEquals(0, smtp.getReceivedMessages().length, "GreenMail offers no STARTTLS: nothing goes in the clear");
        assertEquals("PENDING", db.row(id).get("status"));
        assertTrue(((String) db.row(id).get("last_error")).contains("STARTTLS"), (String) db.row(id).get("last_error"));
    }

    @Test
    @Timeout(30)
    void aServerThatNeverAnswersIsGivenUpOnAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            port = silent.getLocalPort(); // accepts connections (the kernel's backlog) and never says a word
            long id = queue.add(new MailMessage("ada@example.org", "Hello", "Body"));

            assertEquals(0, sender(settings(TestSmtpServer.PASSWORD, "hub.mail.timeout", "300ms")).deliverDue());

            String error = (String) db.row(id).get("last_error");
            assertTrue(error.contains("SocketTimeoutException"), error);
            assertEquals("PENDING", db.row(id).get("status"));
        }
    }

    private MimeMessage received(String to) throws Exception {
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (to.equals(((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress())) {
                return m;
            }
        }
        throw new AssertionError("nothing arrived for " + to);
    }

    private static String unix(Object content) {
        return ((String) content).replace("\r\n", "\n");
    }

    private static Instant next(Map<String, Object> row) {
        return ((OffsetDateTime) row.get("next_attempt_at")).toInstant();
    }
}
