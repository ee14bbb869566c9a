package org.hubsso.hub;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.Map;

/** Password hashing through Jakarta Security's {@link Pbkdf2PasswordHash}: PBKDF2-HMAC-SHA512, 210,000 rounds. */
@ApplicationScoped
public class PasswordHasher {

    static final Map<String, String> PARAMETERS = Map.of(
            "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512",
            "Pbkdf2PasswordHash.Iterations", "210000",
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "64");

    /**
     * Verified against when an account does not exist, so both cases take the same time: the hash of a random
     * password that was thrown away, with the parameters above (checked by PasswordHasherTest). A constant, because
     * hashing a decoy at start cost a full 210,000-round derivation on the way to the first page.
     */
    static final String DECOY = "PBKDF2WithHmacSHA512:210000:48Fy6KjUmSnLiqTj/v3SidF7Ki76XvT74zULLjDV77Q=:"
            + "p/5Vdzf2rJYjgxst+rntABEANzWjLdDBu7WJKoqKrJyS0wZ/KkqNDH9I/FGFlWjxJelJqLhKcnfKPYE98zus/Q==";

    @Inject
    Pbkdf2PasswordHash hash;

    @PostConstruct
    void init() {
        hash.initialize(PARAMETERS);
    }

    public String hash(char[] password) {
        return hash.generate(password);
    }

    public boolean verify(char[] password, String stored) {
        return hash.verify(password, stored);
    }

    /** Spends the time of one verification; the result is always false. */
    public boolean verifyNothing(char[] password) {
        hash.verify(password, DECOY);
        return false;
    }
}
