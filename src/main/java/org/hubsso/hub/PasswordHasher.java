package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with the JDK's PBKDF2 ({@link SecretKeyFactory}): PBKDF2-HMAC-SHA512, 210,000 rounds, a 32-byte
 * salt and a 64-byte key, stored as {@code algorithm:iterations:base64(salt):base64(key)}. That is exactly what
 * Jakarta Security's {@code Pbkdf2PasswordHash} (Soteria, which Payara ships) writes and reads, so hashes stored by
 * earlier versions stay valid (checked both ways by PasswordHasherTest). The hub does it itself because that bean is
 * not there on every server: WildFly enables Jakarta Security only for deployments that use its annotations.
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

    /**
     * Verified against when an account does not exist, so both cases take the same time: the hash of a random
     * password that was thrown away, with the parameters above (checked by PasswordHasherTest). A constant, because
     * hashing a decoy at start cost a full 210,000-round derivation on the way to the first page.
     */
    static final String DECOY = "PBKDF2WithHmacSHA512:210000:48Fy6KjUmSnLiqTj/v3SidF7Ki76XvT74zULLjDV77Q=:"
            + "p/5Vdzf2rJYjgxst+rntABEANzWjLdDBu7WJKoqKrJyS0wZ/KkqNDH9I/FGFlWjxJelJqLhKcnfKPYE98zus/Q==";

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(ALGORITHM, password, salt, ITERATIONS, KEY_BYTES);
        Base64.Encoder base64 = Base64.getEncoder();
        return ALGORITHM + ":" + ITERATIONS + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(key);
    }

    public boolean verify(char[] password, String stored) {
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

    /** Spends the time of one verification; the result is always false. */
    public boolean verifyNothing(char[] password) {
        verify(password, DECOY);
        return false;
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
