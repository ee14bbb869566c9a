package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glassfish.soteria.identitystores.hash.Pbkdf2PasswordHashImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password hashing with the same Jakarta Security implementation Payara ships (Soteria). */
class PasswordHasherTest {

    static PasswordHasher hasher;

    @BeforeAll
    static void init() {
        hasher = new PasswordHasher();
        hasher.hash = new Pbkdf2PasswordHashImpl();
        hasher.init();
    }

    @Test
    void storesSaltedPbkdf2Sha512With210000Rounds() {
        String stored = hasher.hash("correct-horse-battery".toCharArray());
        assertTrue(stored.startsWith("PBKDF2WithHmacSHA512:210000:"), stored);
        assertNotEquals(stored, hasher.hash("correct-horse-battery".toCharArray()), "a fresh salt every time");
    }

    @Test
    void verifiesOnlyTheRightPassword() {
        String stored = hasher.hash("correct-horse-battery".toCharArray());
        assertTrue(hasher.verify("correct-horse-battery".toCharArray(), stored));
        assertFalse(hasher.verify("correct-horse-batterY".toCharArray(), stored));
        assertFalse(hasher.verify("".toCharArray(), stored));
    }

    @Test
    void theDecoyNeverMatches() {
        assertFalse(hasher.verifyNothing("decoy-password-never-used".toCharArray()));
    }
}
