package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP listener closes slow clients (server-config: pre-boot-commands.asadmin for Payara, wildfly/hub.cli for
 * WildFly). A client that starts a request and then sends nothing is closed on both servers (Payara: 20 s without a
 * byte; WildFly: headers not complete 10 s after the first byte). A client trickling its headers a byte a second is
 * closed by WildFly's header deadline; Payara's listener (Grizzly) has no such deadline, which the README says, so
 * there the test only records how long the connection lasted. Times go to target/measurements/slow-clients*.txt.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowClientIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.war();
    }

    @ArquillianResource
    URL base;

    @Test
    void aClientThatStopsInTheMiddleOfItsHeadersIsClosed() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /login HTTP/1.1\r\nHost: " + base.getHost() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            double seconds = secondsUntilClosed(socket, Duration.ofSeconds(60), false);
            record("silent client (headers started, then nothing): closed after %.1f s", seconds);
            assertTrue(seconds < (ClusterNode.WILDFLY ? 15 : 25), "closed after " + seconds + " s");
        }
    }

    @Test
    void aClientTricklingItsHeadersIsClosedByTheHeaderDeadline() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /login HTTP/1.1\r\nHost: " + base.getHost() + "\r\nX-Slow: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            double seconds = secondsUntilClosed(socket, Duration.ofSeconds(ClusterNode.WILDFLY ? 60 : 25), true);
            if (ClusterNode.WILDFLY) {
                record("trickling client (a header byte a second): closed after %.1f s", seconds);
                assertTrue(seconds < 15, "closed after " + seconds + " s");
            } else {
                record("trickling client (a header byte a second): %s", Double.isNaN(seconds)
                        ? "still open after 25 s (Grizzly: no header deadline; the reverse proxy's applies)"
                        : String.format("closed after %.1f s", seconds));
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(1000);
        return socket;
    }

    /**
     * Seconds until the server closed the connection or answered (a 408 or 400 ends it as well), or NaN when it was
     * still open at the limit. With {@code trickle}, one more header byte goes out every second.
     */
    private static double secondsUntilClosed(Socket socket, Duration limit, boolean trickle) throws IOException {
        long started = System.nanoTime();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        while (System.nanoTime() - started < limit.toNanos()) {
            try {
                in.read(); // -1 when closed, or the first byte of an answer (408, 400): the connection ends either way
                return (System.nanoTime() - started) / 1e9;
            } catch (SocketTimeoutException stillOpen) {
                if (trickle) {
                    try {
                        out.write('a');
                        out.flush();
                    } catch (IOException closed) {
                        return (System.nanoTime() - started) / 1e9;
                    }
                }
            } catch (IOException reset) {
                return (System.nanoTime() - started) / 1e9;
            }
        }
        return Double.NaN;
    }

    private static void record(String format, Object... args) throws IOException {
        String line = String.format(format, args);
        System.out.println("[measurement] " + line);
        Path out = Path.of("target", "measurements", "slow-clients" + (ClusterNode.WILDFLY ? "-wildfly" : "")
                + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
