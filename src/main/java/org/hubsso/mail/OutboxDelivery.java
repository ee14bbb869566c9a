package org.hubsso.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.hubsso.mail.DeliveryFailure.Kind;

/**
 * The quick start's mail server: each message becomes an RFC 822 file ({@code .eml}, as Jakarta Mail writes it) in the
 * outbox folder, readable by the hub's user only, and its links are logged at INFO, so whoever tries the hub out finds
 * a verification link in the log. Links may be single-use secrets: this mode is for a hub on one's own machine.
 */
final class OutboxDelivery implements Delivery {

    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class.getName());
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"'()\\[\\]]+");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path folder;
    private final InternetAddress from;
    private final Session session;

    OutboxDelivery(Path folder, InternetAddress from) {
        this.folder = folder;
        this.from = from;
        Properties props = new Properties();
        props.setProperty("mail.from", from.getAddress()); // the Message-ID's domain, no local host name lookup
        this.session = Session.getInstance(props);
    }

    @Override
    public void deliver(QueuedMail mail) throws DeliveryFailure {
        Path file = folder.resolve(STAMP.format(mail.createdAt()) + "-" + mail.id() + ".eml");
        try {
            MimeMessage message = MimeMessages.of(session, from, mail);
            createFolder();
            // A temporary file (owner-only, as Files creates them) renamed when complete: the outbox never holds half
            // a message, and a retry replaces an earlier copy.
            Path partial = Files.createTempFile(folder, ".writing-", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    message.writeTo(out);
                }
                move(partial, file);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException | MessagingException e) {
            throw new DeliveryFailure(Kind.UNAVAILABLE, DeliveryFailure.clean("Cannot write " + file + ": " + e,
                    null));
        }
        List<String> links = links(mail.message().text());
        LOG.info(() -> mail.describe() + " is in the outbox (no hub.mail.host): " + file.toAbsolutePath().normalize()
                + (links.isEmpty() ? "; it has no links" : "; its links: " + String.join(" ", links)));
    }

    /** The http(s) links of a text, in order, each once. */
    static List<String> links(String text) {
        return LINK.matcher(text).results().map(r -> r.group().replaceAll("[.,;:!?]+$", "")).distinct().toList();
    }

    private void createFolder() throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(folder);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
