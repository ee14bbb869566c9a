package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.hubsso.hub.HubClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code hub.mail.host} mail goes to {@code ${hub.data.dir}/outbox}: one RFC 822 file per message that any
 * mail program (here: Jakarta Mail) reads back as sent, readable by the hub's user only, and its links in the log.
 */
class MailOutboxTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dataDir;

    private final HubClock clock = new HubClock();
    private MailTestDatabase db;
    private MailQueue queue;
    private MailSender sender;
    private CapturedLog log;
    private Path outbox;

    @BeforeEach
    void setUp() {
        clock.use(Clock.fixed(T0, ZoneOffset.UTC));
        db = new MailTestDatabase();
        queue = new MailQueue(db.dataSource, clock);
        MailSettings settings = MailSettingsTest.settings("hub.data.dir", dataDir.toString(),
                "hub.mail.from", "Acme Hub <hub@acme.example>");
        outbox = settings.outbox();
        sender = new MailSender(queue, new OutboxDelivery(settings.outbox(), settings.from()), clock,
                settings.claimLease());
        log = new CapturedLog("org.hubsso.mail");
    }

    @AfterEach
    void tearDown() throws Exception {
        log.close();
        db.close();
    }

    @Test
    void eachMessageIsAnEmlFileOnlyItsOwnerReadsAndItsLinksAreLogged() throws Exception {
        String text = "Dear Ada,\n\nconfirm your address: https://hub.example/verify?token=abc123.\n"
                + "Or open (https://hub.example/help) in a browser. Ignore https://hub.example/verify?token=abc123 if"
                + " you did not sign up.\n";
        long id = queue.add(new MailMessage("ada@example.org", "Confirm your address", text));

        assertEquals(1, sender.deliverDue());

        List<Path> files = files();
        assertEquals(List.of(outbox.resolve("20261206-100000-" + id + ".eml")), files);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox)));

        MimeMessage eml = read(files.get(0));
        assertEquals("Confirm your address", eml.getSubject());
        assertEquals("ada@example.org", ((InternetAddress) eml.getRecipients(Message.RecipientType.TO)[0])
                .getAddress());
        assertEquals(new InternetAddress("Acme Hub <hub@acme.example>"), eml.getFrom()[0]);
        assertEquals(T0, eml.getSentDate().toInstant());
        assertEquals(text, ((String) eml.getContent()).replace("\r\n", "\n"));
        assertTrue(eml.getMessageID().endsWith("@acme.example>"), "no local host name: " + eml.getMessageID());

        List<String> info = log.lines(Level.INFO);
        assertEquals(1, info.size(), String.join("\n", info));
        assertTrue(info.get(0).contains(files.get(0).toString()), info.get(0));
        assertTrue(info.get(0).contains("https://hub.example/verify?token=abc123 https://hub.example/help"
                + System.lineSeparator()), "each link once, without the sentence's punctuation: " + info.get(0));
        assertFalse(log.all().contains("Dear Ada") || log.all().contains("did not sign up"),
                "only the links of a body are logged: " + log.all());

        assertEquals("SENT", db.row(id).get("status"));
        assertEquals("", db.row(id).get("text_body"));
    }

    @Test
    void anHtmlAlternativeIsWrittenAsWell() throws Exception {
        queue.add(new MailMessage("ada@example.org", "Hello", "Plain https://hub.example/a")
                .withHtml("<p><a href=\"https://hub.example/a\">A</a></p>"));

        assertEquals(1, sender.deliverDue());

        MimeMultipart alternative = assertInstanceOf(MimeMultipart.class, read(files().get(0)).getContent());
        assertEquals(2, alternative.getCount());
        assertTrue(alternative.getBodyPart(0).isMimeType("text/plain"));
        assertEquals("<p><a href=\"https://hub.example/a\">A</a></p>", alternative.getBodyPart(1).getContent());
    }

    @Test
    void anUnwritableOutboxKeepsTheMessage() throws Exception {
        Files.writeString(outbox, "a file where the folder should be");
        long id = queue.add(new MailMessage("ada@example.org", "Hello", "Body"));

        assertEquals(0, sender.deliverDue());

        assertEquals("PENDING", db.row(id).get("status"));
        assertTrue(((String) db.row(id).get("last_error")).contains(outbox.toString()),
                (String) db.row(id).get("last_error"));
        Files.delete(outbox);
        clock.use(Clock.fixed(T0.plus(MailSender.FIRST_RETRY), ZoneOffset.UTC));
        assertEquals(1, sender.deliverDue());
        assertEquals(1, files().size());
    }

    @Test
    void linksAreFoundOnceEachWithoutTrailingPunctuation() {
        assertEquals(List.of("https://a.example/x?y=1", "http://b.example/"),
                OutboxDelivery.links("See https://a.example/x?y=1, then <http://b.example/>; https://a.example/x?y=1!"));
        assertEquals(List.of(), OutboxDelivery.links("no links, ftp://c.example/ is none"));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(outbox)) {
            return s.sorted().toList();
        }
    }

    private static MimeMessage read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }
}
