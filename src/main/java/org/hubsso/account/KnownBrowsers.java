package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.SqlTimes;

/**
 * Browsers an account signed in with before: a long-lived cookie of 32 random bytes, of which only the SHA-256 is
 * stored. The sign-in throttle ({@link PasswordSignIn}) counts a known browser's failures on their own, so wrong
 * guesses from elsewhere never keep an account's owner out of a browser the owner already used. An account keeps
 * its {@link #PER_ACCOUNT} most recently used browsers; one unused for {@link #UNUSED} is forgotten.
 */
@ApplicationScoped
public class KnownBrowsers {

    /** The cookie that carries a known browser's token. */
    public static final String COOKIE = "HUBBROWSER";
    /** How long a known browser stays known without a sign-in, and the cookie's lifetime. */
    public static final Duration UNUSED = Duration.ofDays(180);
    static final int PER_ACCOUNT = 20;
    static final int MAX_TOKEN = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Whether {@code token} (a cookie value, or {@code null}) is a browser {@code accountId} signed in with. */
    public boolean isKnown(String token, Long accountId) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN || accountId == null) {
            return false;
        }
        return !em.createNativeQuery("SELECT account_id FROM known_browser WHERE token_hash = ? AND account_id = ?"
                + " AND used_at > ?").setParameter(1, EmailTokens.hash(token.strip())).setParameter(2, accountId)
                .setParameter(3, SqlTimes.at(clock.now().minus(UNUSED))).getResultList().isEmpty();
    }

    /** A short, stable name of {@code token} for throttle keys: the first 32 hex digits of its SHA-256. */
    static String keyOf(String token) {
        return EmailTokens.hash(token.strip()).substring(0, 32);
    }

    /**
     * Remembers the browser that just signed in to {@code accountId}: renews {@code token} when it is that account's
     * known browser, otherwise returns a new token for the cookie. Forgets the account's browsers beyond the
     * {@link #PER_ACCOUNT} most recently used.
     */
    @Transactional
    public String remember(Long accountId, String token) {
        Instant now = clock.now();
        if (isKnown(token, accountId)) {
            em.createNativeQuery("UPDATE known_browser SET used_at = ? WHERE token_hash = ?")
                    .setParameter(1, SqlTimes.at(now)).setParameter(2, EmailTokens.hash(token.strip()))
                    .executeUpdate();
            return token.strip();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        em.createNativeQuery("INSERT INTO known_browser (token_hash, account_id, created_at, used_at)"
                + " VALUES (?, ?, ?, ?)").setParameter(1, EmailTokens.hash(fresh)).setParameter(2, accountId)
                .setParameter(3, SqlTimes.at(now)).setParameter(4, SqlTimes.at(now)).executeUpdate();
        List<?> beyond = em.createNativeQuery("SELECT token_hash FROM known_browser WHERE account_id = ?"
                + " ORDER BY used_at DESC, token_hash OFFSET " + PER_ACCOUNT + " ROWS").setParameter(1, accountId)
                .getResultList();
        for (Object hash : beyond) {
            em.createNativeQuery("DELETE FROM known_browser WHERE token_hash = ?").setParameter(1, hash)
                    .executeUpdate();
        }
        return fresh;
    }

    /** Forgets browsers unused for {@link #UNUSED}. */
    @Transactional
    public int purge() {
        return em.createNativeQuery("DELETE FROM known_browser WHERE used_at < ?")
                .setParameter(1, SqlTimes.at(clock.now().minus(UNUSED))).executeUpdate();
    }
}
