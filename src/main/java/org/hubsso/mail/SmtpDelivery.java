package org.hubsso.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.hubsso.hub.Causes;
import org.hubsso.mail.DeliveryFailure.Kind;

/**
 * Sends a message to the configured SMTP server through Jakarta Mail, one connection per message, every step bounded
 * by {@code hub.mail.connect-timeout} and {@code hub.mail.timeout}. TLS (STARTTLS or SSL) checks the server's
 * certificate and that it names the configured host. Only the Jakarta Mail API is used: the implementation is the
 * server's (Eclipse Angus on Payara and WildFly), found through the API.
 */
final class SmtpDelivery implements Delivery {

    /** Replies that are about the connection (TLS or authentication required or refused), not about one message. */
    private static final Set<Integer> SESSION_REPLIES = Set.of(530, 534, 535, 538);

    private final MailSettings settings;
    private final Session session;

    SmtpDelivery(MailSettings settings) {
        this(settings, null);
    }

    /**
     * @param tlsSockets sockets for TLS instead of the JVM's default ones (which trust the JVM's trust store), e.g. to
     *                   trust a test server's own certificate; {@code null} for the default
     */
    SmtpDelivery(MailSettings settings, SSLSocketFactory tlsSockets) {
        if (!settings.smtp()) {
            throw new IllegalArgumentException("hub.mail.host is not set: there is no SMTP server to send to");
        }
        this.settings = settings;
        this.session = Session.getInstance(properties(settings, tlsSockets));
    }

    static Properties properties(MailSettings settings, SSLSocketFactory tlsSockets) {
        String protocol = settings.security() == MailSettings.Security.SSL ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.setProperty("mail.transport.protocol", protocol);
        props.setProperty(p + "host", settings.host());
        props.setProperty(p + "port", Integer.toString(settings.port()));
        props.setProperty(p + "connectiontimeout", millis(settings.connectTimeout()));
        props.setProperty(p + "timeout", millis(settings.timeout()));
        props.setProperty(p + "writetimeout", millis(settings.timeout()));
        props.setProperty(p + "auth", Boolean.toString(settings.user() != null));
        // The envelope sender; and the domain of Message-IDs, so Jakarta Mail never looks up the local host name.
        props.setProperty(p + "from", settings.from().getAddress());
        props.setProperty("mail.from", settings.from().getAddress());
        if (settings.security() == MailSettings.Security.STARTTLS) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        if (settings.security() != MailSettings.Security.NONE) {
            props.setProperty(p + "ssl.checkserveridentity", "true");
            if (tlsSockets != null) {
                props.put(p + "ssl.socketFactory", tlsSockets);
                // Jakarta Mail would otherwise try the JVM's default sockets after these failed, and report that.
                props.setProperty(p + "socketFactory.fallback", "false");
            }
        }
        return props;
    }

    @Override
    public void deliver(QueuedMail mail) throws DeliveryFailure {
        MimeMessage message;
        try {
            message = MimeMessages.of(session, settings.from(), mail);
        } catch (MessagingException e) {
            throw new DeliveryFailure(Kind.REFUSED, DeliveryFailure.clean("Cannot compose the message: "
                    + e.getMessage(), null));
        }
        Transport transport = null;
        try {
            transport = session.getTransport();
            transport.connect(settings.host(), settings.port(), settings.user(), settings.password());
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw failure(e, settings.password());
        } finally {
            close(transport);
        }
    }

    /**
     * What the exception means: a 4xx reply about the message defers it, a 5xx reply refuses it, anything else (no
     * connection, TLS, authentication, a bad greeting) means the server is unavailable for now.
     */
    static DeliveryFailure failure(MessagingException e, String password) {
        if (e instanceof AuthenticationFailedException) {
            return new DeliveryFailure(Kind.UNAVAILABLE, DeliveryFailure.clean("The SMTP server refused the login of"
                    + " hub.mail.user with hub.mail.password: " + e.getMessage(), password));
        }
        String refusal = null;
        String deferral = null;
        for (Throwable t : Causes.chain(e)) {
            int code = replyCode(t);
            if (SESSION_REPLIES.contains(code)) {
                return new DeliveryFailure(Kind.UNAVAILABLE, DeliveryFailure.clean(t.getMessage(), password));
            }
            if (code >= 500 && code < 600 && refusal == null) {
                refusal = t.getMessage();
            } else if (code >= 400 && code < 500 && deferral == null) {
                deferral = t.getMessage();
            }
        }
        if (deferral != null) {
            return new DeliveryFailure(Kind.DEFERRED, DeliveryFailure.clean(deferral, password));
        }
        if (refusal != null) {
            return new DeliveryFailure(Kind.REFUSED, DeliveryFailure.clean(refusal, password));
        }
        return new DeliveryFailure(Kind.UNAVAILABLE, DeliveryFailure.clean(withRootCause(e), password));
    }

    /**
     * The SMTP reply code an exception of the Jakarta Mail implementation carries ({@code getReturnCode()} of
     * Angus' {@code SMTPSendFailedException} and its subclasses), or -1. Looked up by name, so the hub compiles
     * against the Jakarta Mail API alone and links to no class of the implementation the server provides.
     */
    static int replyCode(Throwable t) {
        try {
            Method getter = t.getClass().getMethod("getReturnCode");
            return getter.invoke(t) instanceof Integer code ? code : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static String withRootCause(Throwable e) {
        Throwable root = Causes.root(e);
        return root == e ? e.getMessage() : e.getMessage() + " (" + root.getClass().getName() + ": "
                + root.getMessage() + ")";
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // The QUIT after a sent message: the server has taken it already, nothing depends on this.
            }
        }
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
