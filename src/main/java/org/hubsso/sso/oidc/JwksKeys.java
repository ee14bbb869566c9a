package org.hubsso.sso.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hubsso.outbound.OutboundHttp;

/**
 * The signing keys an OpenID provider publishes (its JWKS), for one organization: fetched at first use, kept for
 * {@link #MAX_AGE}, and fetched again for a key id it does not know, at most once per {@link #REFRESH_INTERVAL}
 * (counted from the last fetch, successful or not), so a flood of tokens with made-up key ids costs the IdP one
 * request per interval. Through the hub's bounded, address-checked outbound calls.
 */
final class JwksKeys implements JWKSource<SecurityContext> {

    static final Duration MAX_AGE = Duration.ofMinutes(10);
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);
    static final int MAX_BYTES = 256 * 1024;

    /** No key for this id, and the JWKS was fetched too recently to fetch it again. */
    static final class RecentlyFetched extends KeySourceException {
        private static final long serialVersionUID = 1L;

        RecentlyFetched() {
            super("the JWKS was fetched less than " + REFRESH_INTERVAL.toSeconds() + " s ago");
        }
    }

    private final URI uri;
    private final OutboundHttp http;
    private final Clock clock;
    private JWKSet keys;
    private Instant fetchedAt;
    private Instant triedAt;
    private int fetches;

    JwksKeys(URI uri, OutboundHttp http, Clock clock) {
        this.uri = uri;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        List<JWK> found = selector.select(current(false));
        return found.isEmpty() ? selector.select(current(true)) : found;
    }

    /** The keys as last fetched (fetched now when none are, or they are stale). */
    JWKSet keys() throws KeySourceException {
        return current(false);
    }

    /** How many times the JWKS was fetched (successfully or not). */
    synchronized int fetches() {
        return fetches;
    }

    URI uri() {
        return uri;
    }

    private synchronized JWKSet current(boolean unknownKey) throws KeySourceException {
        Instant now = clock.instant();
        boolean stale = keys == null || !now.isBefore(fetchedAt.plus(MAX_AGE));
        if (!stale && !unknownKey) {
            return keys;
        }
        if (triedAt != null && now.isBefore(triedAt.plus(REFRESH_INTERVAL))) {
            if (keys != null && !unknownKey) {
                return keys;
            }
            throw new RecentlyFetched();
        }
        triedAt = now;
        fetches++;
        try {
            OutboundHttp.Answer answer = http.get(uri, "application/jwk-set+json, application/json", MAX_BYTES);
            if (answer.status() != 200) {
                throw new KeySourceException("the JWKS answered HTTP " + answer.status());
            }
            keys = JWKSet.parse(answer.text());
            fetchedAt = now;
            return keys;
        } catch (IOException | ParseException e) {
            throw new KeySourceException("the JWKS could not be read: " + e.getMessage(), e);
        }
    }
}
