package org.hubsso.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Turns a {@link MailMessage} into the RFC 822 message Jakarta Mail sends or writes. */
final class MimeMessages {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();

    private MimeMessages() {
    }

    /**
     * A message from {@code from} with the plain text, or a {@code multipart/alternative} of the text and the HTML
     * (text first: clients show the last part they can). {@code Auto-Submitted} keeps auto-responders from answering.
     */
    static MimeMessage of(Session session, InternetAddress from, QueuedMail mail) throws MessagingException {
        MailMessage m = mail.message();
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to(), true));
        message.setSubject(m.subject(), UTF_8);
        message.setSentDate(Date.from(mail.createdAt()));
        message.setHeader("Auto-Submitted", "auto-generated");
        if (m.html() == null) {
            message.setText(m.text(), UTF_8);
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(m.text(), UTF_8);
            MimeBodyPart html = new MimeBodyPart();
            html.setText(m.html(), UTF_8, "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        }
        message.saveChanges();
        return message;
    }
}
