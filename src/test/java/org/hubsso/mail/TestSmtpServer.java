package org.hubsso.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * GreenMail, a real SMTP server, on 127.0.0.1, answering RCPT TO as a real server would for two kinds of recipients:
 * {@code nobody@...} is refused for good (550) and {@code busy@...} for now (451) while {@link #deferBusy} is on.
 * GreenMail takes everything else. {@link SmtpManager#checkRecipient} is GreenMail's hook for exactly this.
 */
final class TestSmtpServer extends GreenMail {

    static final String USER = "hub";
    static final String PASSWORD = "smtp-Pa55word-never-shown";

    volatile boolean deferBusy = true;

    TestSmtpServer(int port, String protocol) {
        super(new ServerSetup(port, "127.0.0.1", protocol));
        setUser("hub@hub.localhost", USER, PASSWORD);
    }

    static TestSmtpServer started(int port, String protocol) {
        TestSmtpServer server = new TestSmtpServer(port, protocol);
        server.start();
        return server;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called at construction and at every start: keeps one set of managers, so users and mail survive a start. */
    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers current) {
        Managers refusing = current instanceof RefusingManagers ? current : new RefusingManagers();
        managers = refusing;
        return super.createServices(config, refusing);
    }

    private final class RefusingManagers extends Managers {

        private final SmtpManager smtp = new SmtpManager(getImapHostManager(), getUserManager()) {
            @Override
            public String checkRecipient(SmtpState state, MailAddress rcpt) {
                if (rcpt.getEmail().startsWith("nobody@")) {
                    return "550 5.1.1 <" + rcpt.getEmail() + ">: no such user here";
                }
                if (rcpt.getEmail().startsWith("busy@") && deferBusy) {
                    return "451 4.2.1 Mailbox busy, try again later";
                }
                return null;
            }
        };

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }
    }
}
