package org.hubsso.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * One message to send: one recipient, a subject, a plain-text body and optionally an HTML alternative of it. Checked
 * when it is made, so a bad message fails where it is written instead of in the sender minutes later. Its bodies may
 * carry secrets such as single-use links: {@link #toString()} leaves them out.
 *
 * @param to the recipient's address, bare ({@code someone@example.org}, no display name)
 * @param subject one line
 * @param text the plain-text body
 * @param html an HTML alternative of the same content, or {@code null}
 */
public record MailMessage(String to, String subject, String text, String html) {

    public static final int ADDRESS_MAX = 254;
    public static final int SUBJECT_MAX = 200;
    /** Per body, in characters; the queue's columns hold this much. */
    public static final int BODY_MAX = 65_536;

    /** @throws IllegalArgumentException naming what is wrong */
    public MailMessage {
        to = address(to);
        subject = subject(subject);
        text = body("text", text);
        html = html == null ? null : body("HTML", html);
    }

    /** A plain-text message. */
    public MailMessage(String to, String subject, String text) {
        this(to, subject, text, null);
    }

    /** The same message with an HTML alternative of its text. */
    public MailMessage withHtml(String html) {
        return new MailMessage(to, subject, text, html);
    }

    @Override
    public String toString() {
        return "MailMessage[to=" + to + ", subject=" + subject + (html == null ? "" : ", with HTML") + "]";
    }

    private static String address(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A message needs a recipient");
        }
        String address = value.strip();
        if (address.length() > ADDRESS_MAX) {
            throw new IllegalArgumentException("The recipient's address is longer than " + ADDRESS_MAX + " characters");
        }
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            int at = address.lastIndexOf('@');
            if (parsed.isGroup() || parsed.getPersonal() != null || !address.equals(parsed.getAddress()) || at < 1
                    || at == address.length() - 1) {
                throw new AddressException("not a bare address");
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("Not a bare email address (someone@example.org): '" + printable(address)
                    + "'");
        }
        return address;
    }

    private static String subject(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A message needs a subject");
        }
        String subject = value.strip();
        if (subject.length() > SUBJECT_MAX) {
            throw new IllegalArgumentException("The subject is longer than " + SUBJECT_MAX + " characters");
        }
        if (subject.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("The subject must be one line without control characters");
        }
        return subject;
    }

    private static String body(String which, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The " + which + " body is empty");
        }
        if (value.length() > BODY_MAX) {
            throw new IllegalArgumentException("The " + which + " body is longer than " + BODY_MAX + " characters");
        }
        return value;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> b.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return b.toString();
    }
}
