package org.hubsso.sso.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hubsso.outbound.AddressPolicy;
import org.hubsso.outbound.OutboundHttp;
import org.junit.jupiter.api.Test;

/**
 * The OpenID provider's keys, fetched from a real JWKS endpoint on loopback: a key id the hub does not know fetches
 * the JWKS again at most once per 30 seconds per organization, as README and SECURITY.md promise (the library's own
 * rate limiter let two fetches through within a fraction of a second).
 */
class JwksKeysTest {

    @Test
    void anUnknownKidFetchesTheJwksAtMostOncePerThirtySeconds() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (OutboundHttp http = new OutboundHttp(AddressPolicy.of("loopback"), OutboundHttp.SYSTEM)) {
            JwksKeys keys = new JwksKeys(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"),
                    http, clock);
            assertEquals(1, keys.get(selector("k1"), null).size());
            assertEquals(1, fetches.get(), "fetched at first use");
            assertEquals(1, keys.get(selector("k1"), null).size());
            assertEquals(1, fetches.get(), "a known key is served from the cache");

            // The IdP rotates. Tokens with the new kid arrive at once, and many with made-up kids.
            published.set(new JWKSet(rotated.toPublicJWK()));
            assertThrows(JwksKeys.RecentlyFetched.class, () -> keys.get(selector("k2"), null),
                    "fetched less than 30 s ago: not again");
            for (int i = 0; i < 20; i++) {
                String kid = "made-up-" + i;
                assertThrows(KeySourceException.class, () -> keys.get(selector(kid), null));
            }
            assertEquals(1, fetches.get(), "no fetch within 30 s of the last one");

            clock.move(Duration.ofSeconds(30));
            assertEquals(1, keys.get(selector("k2"), null).size(), "30 s later the unknown kid fetches again");
            assertEquals(2, fetches.get());
            clock.move(Duration.ofSeconds(29));
            assertThrows(JwksKeys.RecentlyFetched.class, () -> keys.get(selector("made-up"), null));
            assertEquals(2, fetches.get());

            // Kept for ten minutes, then fetched again even for a known kid.
            clock.move(Duration.ofMinutes(10));
            assertEquals(1, keys.get(selector("k2"), null).size());
            assertEquals(3, fetches.get());
        } finally {
            server.stop(0);
        }
    }

    private static JWKSelector selector(String kid) {
        return new JWKSelector(new JWKMatcher.Builder().keyID(kid).build());
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
