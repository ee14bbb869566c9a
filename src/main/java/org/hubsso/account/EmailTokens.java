package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.hubsso.hub.HubClock;

/**
 * Single-use tokens for links sent by mail. A token is 32 random bytes (base64url in the link); only its SHA-256 is
 * stored, so the database alone never opens a link. A token serves one purpose, one account (and for a
 * verification, one address), until it expires or is used once.
 */
@ApplicationScoped
public class EmailTokens {

    /** What a link is for. */
    public enum Purpose {
        VERIFY(Duration.ofHours(24)), RESET(Duration.ofHours(1));

        private final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }

        public Duration lifetime() {
            return lifetime;
        }
    }

    /** Why a token was not taken. */
    public enum Refusal {
        UNKNOWN, USED, EXPIRED, OTHER_ACCOUNT
    }

    /** A token found valid: its account and (for a verification) its address. */
    public record Valid(String hash, Long accountId, Long emailId) {
    }

    /** The outcome of {@link #check}: a valid token, or why not. */
    public record Checked(Valid valid, Refusal refusal) {
    }

    static final int MAX_TOKEN = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /** Issues a token; returns it in the form a link carries (the only time it exists outside the mail). */
    @Transactional
    public String issue(Purpose purpose, Long accountId, Long emailId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.now();
        em.createNativeQuery("INSERT INTO email_token (token_hash, purpose, account_id, email_id, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?)").setParameter(1, hash(token))
                .setParameter(2, purpose.name()).setParameter(3, accountId).setParameter(4, emailId)
                .setParameter(5, at(now)).setParameter(6, at(now.plus(purpose.lifetime()))).executeUpdate();
        return token;
    }

    /**
     * Whether {@code token} may be used now, for {@code purpose} and (when not {@code null}) by {@code accountId}.
     * Changes nothing: a token shown to the wrong account stays usable by its own.
     */
    @Transactional
    public Checked check(Purpose purpose, String token, Long accountId) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN) {
            return new Checked(null, Refusal.UNKNOWN);
        }
        String hash = hash(token.strip());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT account_id, email_id, expires_at, used_at FROM email_token"
                + " WHERE token_hash = ? AND purpose = ?").setParameter(1, hash).setParameter(2, purpose.name())
                .getResultList();
        if (rows.isEmpty()) {
            return new Checked(null, Refusal.UNKNOWN);
        }
        Object[] row = rows.get(0);
        Long owner = ((Number) row[0]).longValue();
        if (row[3] != null) {
            return new Checked(null, Refusal.USED);
        }
        if (!instant(row[2]).isAfter(clock.now())) {
            return new Checked(null, Refusal.EXPIRED);
        }
        if (accountId != null && !accountId.equals(owner)) {
            return new Checked(null, Refusal.OTHER_ACCOUNT);
        }
        return new Checked(new Valid(hash, owner, row[1] == null ? null : ((Number) row[1]).longValue()), null);
    }

    /** Uses a checked token, once: false when another request used it first. */
    @Transactional
    public boolean use(Valid token) {
        return em.createNativeQuery("UPDATE email_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
                .setParameter(1, at(clock.now())).setParameter(2, token.hash()).executeUpdate() == 1;
    }

    /** Ends every unused token of the account for {@code purpose} (a password set ends the other reset links). */
    @Transactional
    public int endAll(Long accountId, Purpose purpose) {
        return em.createNativeQuery("UPDATE email_token SET used_at = ? WHERE account_id = ? AND purpose = ?"
                + " AND used_at IS NULL").setParameter(1, at(clock.now())).setParameter(2, accountId)
                .setParameter(3, purpose.name()).executeUpdate();
    }

    /** Forgets tokens that expired more than a day ago. */
    @Transactional
    public int purge() {
        return em.createNativeQuery("DELETE FROM email_token WHERE expires_at < ?")
                .setParameter(1, at(clock.now().minus(Duration.ofDays(1)))).executeUpdate();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof Instant t) {
            return t;
        }
        throw new IllegalStateException("unexpected time type " + value.getClass());
    }
}
