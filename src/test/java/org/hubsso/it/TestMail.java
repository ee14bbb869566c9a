package org.hubsso.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP server the in-server tests' hub delivers to: GreenMail, a real SMTP server, on 127.0.0.1 at
 * {@code hub.test.smtp.port} (arquillian.xml points {@code hub.mail.host} and {@code hub.mail.port} there). Started
 * once per test JVM by the first class that needs it; a class that does not start it leaves the hub's mail queued
 * and retried, which harms nothing. Tests find their own messages by recipient (every test uses fresh addresses).
 */
final class TestMail {

    private static GreenMail server;

    private TestMail() {
    }

    static synchronized GreenMail start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(Integer.getInteger("hub.test.smtp.port", 18680), "127.0.0.1",
                    "smtp"));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    /** The messages delivered to {@code to} so far. */
    static List<Message> to(String to) {
        return Arrays.stream(start().getReceivedMessages()).map(m -> (Message) m).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(to));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** Waits (at most 30 s) until {@code to} has received {@code count} messages; returns the newest. */
    static Message await(String to, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> got = to(to);
            if (got.size() >= count) {
                return got.get(got.size() - 1);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no message " + count + " to " + to + " within 30 s (" + to(to).size() + " came)");
    }

    /** Waits (at most 30 s) for a message to {@code to} whose subject contains {@code subject}. */
    static Message awaitSubject(String to, String subject) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (Message m : to(to)) {
                if (subject(m) != null && subject(m).contains(subject)) {
                    return m;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no message \"" + subject + "\" to " + to + " within 30 s");
    }

    /** The first link in a message's text that starts with {@code prefix} (e.g. the hub's base URL + a path). */
    static String link(Message message, String path) {
        String body = GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
        Matcher m = Pattern.compile("https?://\\S*" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no link to " + path + " in: " + body);
        }
        return m.group();
    }

    static String subject(Message message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
