package org.hubsso.hub;

import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Password hashing with the JDK's PBKDF2 ({@link SecretKeyFactory}): PBKDF2-HMAC-SHA512, 210,000 rounds, a 32-byte
 * salt and a 64-byte key, stored as {@code algorithm:iterations:base64(salt):base64(key)}. That is exactly what
 * Jakarta Security's {@code Pbkdf2PasswordHash} (Soteria, which Payara ships) writes and reads, so hashes stored by
 * earlier versions stay valid (checked both ways by PasswordHasherTest). The hub does it itself because that bean is
 * not there on every server: WildFly enables Jakarta Security only for deployments that use its annotations.
 *
 * <p>A derivation takes a core for a fifth of a second, so derivations run on a bounded pool: at most
 * {@code hub.password.hashers} at once (half the cores by default, at least one) and
 * {@code hub.password.queue} more waiting, for at most {@link #QUEUE_WAIT}; any attempt beyond is refused at once
 * with {@link TooManyAttemptsException} (429), and counted in {@code hub_password_hashing_refused_total}. However many
 * sign-in attempts arrive, the other cores keep serving pages.
 */
@ApplicationScoped
public class PasswordHasher {

    static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    static final int ITERATIONS = 210_000;
    static final int SALT_BYTES = 32;
    static final int KEY_BYTES = 64;

    /** The algorithms Soteria accepts in a stored hash; anything else never verifies. */
    private static final Set<String> READABLE = Set.of("PBKDF2WithHmacSHA224", "PBKDF2WithHmacSHA256",
            "PBKDF2WithHmacSHA384", "PBKDF2WithHmacSHA512");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The longest an attempt waits for a free hasher before it is refused. */
    static final Duration QUEUE_WAIT = Duration.ofSeconds(3);

    @Inject
    @ConfigProperty(name = "hub.password.hashers")
    Optional<Integer> configuredHashers;

    @Inject
    @ConfigProperty(name = "hub.password.queue")
    Optional<Integer> configuredQueue;

    @Inject
    HubMeters meters;

    private int hashers;
    private Semaphore hashing;
    private Semaphore admitted;
    private Counter refused;

    public PasswordHasher() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), -1);
    }

    /** A hasher with {@code hashers} derivations at once and {@code queue} waiting (4 per hasher when negative). */
    PasswordHasher(int hashers, int queue) {
        size(hashers, queue);
    }

    @PostConstruct
    void configure() {
        int count = configuredHashers == null ? hashers : configuredHashers.filter(n -> n > 0).orElse(hashers);
        int queue = configuredQueue == null ? -1 : configuredQueue.filter(n -> n >= 0).orElse(-1);
        size(count, queue);
        if (meters != null) {
            refused = Counter.builder("hub_password_hashing_refused").description("Password checks and hashes"
                    + " refused because every hasher was busy and the queue full").register(meters.registry());
        }
    }

    private void size(int count, int queue) {
        hashers = count;
        hashing = new Semaphore(count, true);
        admitted = new Semaphore(count + (queue < 0 ? 4 * count : queue));
    }

    /** How many attempts wait for a hasher right now. */
    int waiting() {
        return hashing.getQueueLength();
    }

    /** How many derivations may run at once. */
    public int hashers() {
        return hashers;
    }

    /**
     * Verified against when an account does not exist, so both cases take the same time: the hash of a random
     * password that was thrown away, with the parameters above (checked by PasswordHasherTest). A constant, because
     * hashing a decoy at start cost a full 210,000-round derivation on the way to the first page.
     */
    static final String DECOY = "PBKDF2WithHmacSHA512:210000:48Fy6KjUmSnLiqTj/v3SidF7Ki76XvT74zULLjDV77Q=:"
            + "p/5Vdzf2rJYjgxst+rntABEANzWjLdDBu7WJKoqKrJyS0wZ/KkqNDH9I/FGFlWjxJelJqLhKcnfKPYE98zus/Q==";

    /** @throws TooManyAttemptsException when every hasher is busy and the queue is full */
    public String hash(char[] password) {
        return bounded(() -> hashNow(password));
    }

    private String hashNow(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(ALGORITHM, password, salt, ITERATIONS, KEY_BYTES);
        Base64.Encoder base64 = Base64.getEncoder();
        return ALGORITHM + ":" + ITERATIONS + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(key);
    }

    /** @throws TooManyAttemptsException when every hasher is busy and the queue is full */
    public boolean verify(char[] password, String stored) {
        return bounded(() -> verifyNow(password, stored));
    }

    private boolean verifyNow(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":");
        if (parts.length != 4 || !READABLE.contains(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || salt.length == 0 || expected.length == 0) {
                return false;
            }
            byte[] actual = derive(parts[0], password, salt, iterations, expected.length);
            return MessageDigest.isEqual(actual, expected);
        } catch (IllegalArgumentException malformed) { // also NumberFormatException
            return false;
        }
    }

    /**
     * Spends the time of one verification; the result is always false.
     *
     * @throws TooManyAttemptsException when every hasher is busy and the queue is full
     */
    public boolean verifyNothing(char[] password) {
        verify(password, DECOY);
        return false;
    }

    <T> T bounded(Supplier<T> derivation) {
        if (!admitted.tryAcquire()) {
            throw busy();
        }
        try {
            if (!hashing.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
            try {
                return derivation.get();
            } finally {
                hashing.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            admitted.release();
        }
    }

    private TooManyAttemptsException busy() {
        if (refused != null) {
            refused.increment();
        }
        return new TooManyAttemptsException("The hub is busy checking passwords. Try again in a few seconds.",
                Duration.ofSeconds(5));
    }

    private static byte[] derive(String algorithm, char[] password, byte[] salt, int iterations, int keyBytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
