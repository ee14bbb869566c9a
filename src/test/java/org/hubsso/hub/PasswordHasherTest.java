package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
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

    @Test
    void theDecoyCostsWhatAStoredHashCosts() {
        // algorithm:iterations:salt:key, as Soteria writes it; verify() derives with the stored parameters.
        String[] decoy = PasswordHasher.DECOY.split(":");
        String[] stored = hasher.hash("correct-horse-battery".toCharArray()).split(":");
        assertEquals(4, decoy.length);
        assertEquals(PasswordHasher.PARAMETERS.get("Pbkdf2PasswordHash.Algorithm"), decoy[0]);
        assertEquals(PasswordHasher.PARAMETERS.get("Pbkdf2PasswordHash.Iterations"), decoy[1]);
        assertEquals(stored[0] + ":" + stored[1], decoy[0] + ":" + decoy[1]);
        assertEquals(Integer.parseInt(PasswordHasher.PARAMETERS.get("Pbkdf2PasswordHash.SaltSizeBytes")),
                Base64.getDecoder().decode(decoy[2]).length);
        assertEquals(Integer.parseInt(PasswordHasher.PARAMETERS.get("Pbkdf2PasswordHash.KeySizeBytes")),
                Base64.getDecoder().decode(decoy[3]).length);
        assertEquals(Base64.getDecoder().decode(stored[2]).length, Base64.getDecoder().decode(decoy[2]).length);
        assertEquals(Base64.getDecoder().decode(stored[3]).length, Base64.getDecoder().decode(decoy[3]).length);
    }
}
