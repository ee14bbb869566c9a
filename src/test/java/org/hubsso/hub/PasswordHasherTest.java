package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;
import org.glassfish.soteria.identitystores.hash.Pbkdf2PasswordHashImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password hashing with the JDK, in the format of Jakarta Security's Pbkdf2PasswordHash as Soteria (which Payara
 * ships, and which hashed every password stored so far) writes it: each side verifies what the other wrote.
 */
class PasswordHasherTest {

    static PasswordHasher hasher;
    static Pbkdf2PasswordHashImpl soteria;

    @BeforeAll
    static void init() {
        hasher = new PasswordHasher();
        soteria = new Pbkdf2PasswordHashImpl();
        soteria.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512",
                "Pbkdf2PasswordHash.Iterations", "210000",
                "Pbkdf2PasswordHash.SaltSizeBytes", "32",
                "Pbkdf2PasswordHash.KeySizeBytes", "64"));
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
    void hashesStoredBySoteriaStayValidAndSoteriaReadsOurs() {
        String bySoteria = soteria.generate("correct-horse-battery".toCharArray());
        assertTrue(hasher.verify("correct-horse-battery".toCharArray(), bySoteria), bySoteria);
        assertFalse(hasher.verify("correct-horse-batterY".toCharArray(), bySoteria));

        String ours = hasher.hash("correct-horse-battery".toCharArray());
        assertTrue(soteria.verify("correct-horse-battery".toCharArray(), ours), ours);
        assertFalse(soteria.verify("correct-horse-batterY".toCharArray(), ours));
        assertEquals(lengths(bySoteria), lengths(ours), "same salt and key sizes");
    }

    @Test
    void malformedStoredValuesNeverVerify() {
        for (String stored : new String[] {null, "", "x", "PBKDF2WithHmacSHA512:210000:c2FsdA==",
                "PBKDF2WithHmacSHA1:1000:c2FsdA==:a2V5", "PBKDF2WithHmacSHA512:zero:c2FsdA==:a2V5",
                "PBKDF2WithHmacSHA512:0:c2FsdA==:a2V5", "PBKDF2WithHmacSHA512:1000:not base64!:a2V5",
                "PBKDF2WithHmacSHA512:1000::a2V5"}) {
            assertFalse(hasher.verify("correct-horse-battery".toCharArray(), stored), String.valueOf(stored));
        }
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
        assertEquals(PasswordHasher.ALGORITHM, decoy[0]);
        assertEquals(String.valueOf(PasswordHasher.ITERATIONS), decoy[1]);
        assertEquals(stored[0] + ":" + stored[1], decoy[0] + ":" + decoy[1]);
        assertEquals(PasswordHasher.SALT_BYTES, Base64.getDecoder().decode(decoy[2]).length);
        assertEquals(PasswordHasher.KEY_BYTES, Base64.getDecoder().decode(decoy[3]).length);
        assertEquals(lengths(PasswordHasher.DECOY), lengths(String.join(":", stored)));
    }

    private static String lengths(String stored) {
        String[] p = stored.split(":");
        return p[0] + ":" + p[1] + ":" + Base64.getDecoder().decode(p[2]).length + ":"
                + Base64.getDecoder().decode(p[3]).length;
    }
}
