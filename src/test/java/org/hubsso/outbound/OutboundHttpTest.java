package org.hubsso.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hub's calls to IdPs, against a real HTTP server on loopback: the address policy holds for the address each
 * connection really goes to (a name that re-resolves to a refused address is refused before anything is sent), and
 * answers are bounded in size and time. A table of names stands in for DNS, so that a name can change its address
 * between two calls as a rebinding attacker's would.
 */
class OutboundHttpTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, InetAddress> dns = new ConcurrentHashMap<>();
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.createContext("/small", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // No keep-alive: every call needs a new connection, and so a new resolution of the name. (A pooled
            // connection goes on to the address it was opened to, which was checked then.)
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/huge", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException aborted) {
                // the client stopped reading, as it should
            }
        });
        server.createContext("/trickle", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 40; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException aborted) {
                // the client gave up, as it should
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OutboundHttp client(String allow) {
        return new OutboundHttp(AddressPolicy.of(allow), host -> {
            InetAddress known = dns.get(host);
            if (known != null) {
                return new InetAddress[] {known};
            }
            return InetAddress.getAllByName(host);
        }, Duration.ofSeconds(2));
    }

    @Test
    void aNameThatRebindsToALinkLocalAddressIsRefusedAtTheNextCall() throws Exception {
        dns.put("idp.test", InetAddress.getByName("127.0.0.1"));
        try (OutboundHttp http = client("loopback")) {
            URI uri = URI.create("http://idp.test:" + port + "/small");
            http.check(uri); // as when the settings were saved
            assertEquals(200, http.get(uri, "application/json", 1000).status());
            dns.put("idp.test", InetAddress.getByName("169.254.169.254"));
            IOException refused = assertThrows(IOException.class, () -> http.get(uri, "application/json", 1000));
            RefusedAddressException why = OutboundHttp.refusal(refused);
            assertNotNull(why, "refused by the address policy: " + refused);
            assertEquals(AddressPolicy.Kind.LINK_LOCAL, why.kind());
            assertTrue(why.getMessage().contains("169.254.169.254"), why.getMessage());
            assertEquals(1, requests.get(), "nothing was sent after the name changed its address");
        }
    }

    @Test
    void loopbackAndPrivateAddressesNeedTheOperatorsConsent() throws Exception {
        URI local = URI.create("http://127.0.0.1:" + port + "/small");
        try (OutboundHttp strict = client("")) {
            assertEquals(AddressPolicy.Kind.LOOPBACK, OutboundHttp.refusal(assertThrows(IOException.class,
                    () -> strict.get(local, "*/*", 1000))).kind());
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://10.1.2.3/token")));
            assertThrows(RefusedAddressException.class,
                    () -> strict.check(URI.create("https://169.254.169.254/latest/meta-data")));
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://[fd00::1]/jwks")));
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://[fe80::1]/jwks")));
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://[::ffff:10.0.0.1]/")));
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://224.0.0.1/")));
            assertThrows(RefusedAddressException.class, () -> strict.check(URI.create("https://0.0.0.0/")));
            dns.put("public.test", InetAddress.getByName("93.184.215.14"));
            strict.check(URI.create("https://public.test/")); // public addresses pass
        }
        try (OutboundHttp relaxed = client("loopback, private")) {
            assertEquals(200, relaxed.get(local, "*/*", 1000).status());
            relaxed.check(URI.create("https://10.1.2.3/token"));
            assertThrows(RefusedAddressException.class,
                    () -> relaxed.check(URI.create("https://169.254.169.254/latest/meta-data")));
            assertThrows(RefusedAddressException.class, () -> relaxed.check(URI.create("https://224.0.0.1/")),
                    "multicast is never allowed");
        }
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.of("loopback,multicast"));
    }

    @Test
    void answersAreBoundedInSizeAndTime() throws Exception {
        try (OutboundHttp http = client("loopback")) {
            assertThrows(OutboundHttp.TooLargeException.class,
                    () -> http.get(URI.create("http://127.0.0.1:" + port + "/huge"), "*/*", 64 * 1024));
            long start = System.nanoTime();
            assertThrows(java.net.SocketTimeoutException.class,
                    () -> http.get(URI.create("http://127.0.0.1:" + port + "/trickle"), "*/*", 64 * 1024));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0,
                    "a trickling answer is cut at the deadline");
            assertEquals("{\"ok\":true}", http.get(URI.create("http://127.0.0.1:" + port + "/small"), "*/*", 1000)
                    .text());
        }
    }

    @Test
    void anUnknownNameIsNotAnAddressRefusal() {
        try (OutboundHttp http = client("")) {
            UnknownHostException unknown = assertThrows(UnknownHostException.class,
                    () -> http.check(URI.create("https://no-such-host.invalid/")));
            assertEquals(null, OutboundHttp.refusal(unknown));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
