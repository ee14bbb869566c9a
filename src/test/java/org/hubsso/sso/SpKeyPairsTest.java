package org.hubsso.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import org.hubsso.sso.SpKey.State;
import org.hubsso.sso.SpKey.Use;
import org.junit.jupiter.api.Test;

/** New SP keys and which of an organization's keys sign, are published and decrypt. */
class SpKeyPairsTest {

    static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void aNewKeyIsRsa3072InASelfSignedCertificateTheHubCanRead() throws Exception {
        SpKeyPairs.Generated made = SpKeyPairs.generate("Hub SSO 0123 signing", NOW);
        assertEquals(3072, ((RSAPublicKey) made.certificate().getPublicKey()).getModulus().bitLength());
        assertEquals(made.keys().getPublic(), made.certificate().getPublicKey());
        made.certificate().verify(made.keys().getPublic()); // self-signed
        assertEquals("SHA256withRSA", made.certificate().getSigAlgName());
        assertEquals("CN=Hub SSO 0123 signing", made.certificate().getSubjectX500Principal().getName());
        assertTrue(made.certificate().getNotBefore().toInstant().isBefore(NOW));
        assertEquals(NOW.plus(SpKeyPairs.VALIDITY), made.certificate().getNotAfter().toInstant());
        // The hub's own certificate parser (what an admin pasting it elsewhere would meet) takes it.
        IdpCertificate parsed = IdpCertificate.parse("c", key(Use.SIGNING, State.ACTIVE, made).pem(), NOW);
        assertEquals(IdpCertificate.sha256Fingerprint(made.certificate()), parsed.sha256Fingerprint());
    }

    @Test
    void theActiveKeySignsTheNextIsPublishedAfterItAndEveryEncryptionKeyDecrypts() {
        SpKey signing = key(Use.SIGNING, State.ACTIVE, SpKeyPairs.generate("s", NOW));
        SpKey nextSigning = key(Use.SIGNING, State.NEXT, SpKeyPairs.generate("s2", NOW));
        SpKey retired = key(Use.ENCRYPTION, State.RETIRED, SpKeyPairs.generate("e0", NOW));
        SpKey next = key(Use.ENCRYPTION, State.NEXT, SpKeyPairs.generate("e2", NOW));
        SpKey active = key(Use.ENCRYPTION, State.ACTIVE, SpKeyPairs.generate("e1", NOW));
        SpKeySet set = new SpKeySet(List.of(nextSigning, signing, retired, next, active));
        assertEquals(signing, set.active(Use.SIGNING));
        assertEquals(List.of(signing, nextSigning), set.published(Use.SIGNING));
        assertEquals(List.of(active, next), set.published(Use.ENCRYPTION), "retired keys are not published");
        assertEquals(List.of(active.privateKey(), next.privateKey(), retired.privateKey()), set.decryptionKeys());
        assertTrue(set.next(Use.SIGNING).isPresent());
        assertThrows(IllegalStateException.class, () -> new SpKeySet(List.of(next)).active(Use.ENCRYPTION));
    }

    /** A key this server's secret key does not open (another node's hub.secret-key) decrypts nothing. */
    @Test
    void anUnreadableKeyIsLeftOutOfDecryption() {
        SpKeyPairs.Generated made = SpKeyPairs.generate("e", NOW);
        SpKey unreadable = new SpKey(IdpCertificate.sha256Fingerprint(made.certificate()), Use.ENCRYPTION,
                State.ACTIVE, made.certificate(), null, NOW, NOW);
        SpKey next = key(Use.ENCRYPTION, State.NEXT, SpKeyPairs.generate("e2", NOW));
        SpKeySet set = new SpKeySet(List.of(unreadable, next));
        assertEquals(List.of(next.privateKey()), set.decryptionKeys());
        assertEquals(List.of(unreadable, next), set.published(Use.ENCRYPTION), "its certificate is still published");
    }

    @Test
    void aKeyNeverPrintsItsPrivateKey() {
        SpKey key = key(Use.SIGNING, State.ACTIVE, SpKeyPairs.generate("s", NOW));
        String printed = key.toString() + new SpKeySet(List.of(key));
        assertTrue(printed.contains(key.sha256()), printed);
        assertTrue(!printed.contains("modulus") && !printed.contains("private exponent")
                && !printed.toLowerCase(java.util.Locale.ROOT).contains("privatekey"), printed);
    }

    static SpKey key(Use use, State state, SpKeyPairs.Generated made) {
        return new SpKey(IdpCertificate.sha256Fingerprint(made.certificate()), use, state, made.certificate(),
                made.keys().getPrivate(), NOW, state == State.ACTIVE ? NOW : null);
    }
}
