package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.SamlResponseValidatorTest.ACS;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.REQUEST;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.SP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoFailure.Reason;
import org.hubsso.sso.ValidatedAnswer;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;

/**
 * Encrypted assertions at the ACS: decrypted with the organization's key, then every check of a plain assertion;
 * only RSA-OAEP and AES-GCM/CBC; one answer for every way decryption fails; a signed Response verified before
 * anything is decrypted.
 */
class SamlDecryptionTest {

    static TestIdp idp;
    static Expectations expect;
    static KeyPair sp;
    static KeyPair other;

    @BeforeAll
    static void keys() throws Exception {
        idp = new TestIdp("http://idp.test/realms/acme");
        expect = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "", false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        sp = generator.generateKeyPair();
        other = generator.generateKeyPair();
    }

    static TestIdp.Answer encrypted() {
        return idp.answer(REQUEST, SP, ACS, "alice@acme.test").encryptTo(sp.getPublic());
    }

    static ValidatedAnswer accept(String encoded, PrivateKey... keys) throws SsoFailure {
        return SamlResponseValidator.check(SamlResponseValidator.read(encoded), expect, Instant.now(),
                () -> List.of(keys));
    }

    static SsoFailure rejects(Reason reason, String encoded, PrivateKey... keys) {
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(encoded, keys));
        assertEquals(reason, failure.reason(), failure.detail());
        return failure;
    }

    @ParameterizedTest
    @CsvSource({
        "ASSERTION, http://www.w3.org/2009/xmlenc11#aes256-gcm, http://www.w3.org/2009/xmlenc11#rsa-oaep",
        "RESPONSE, http://www.w3.org/2009/xmlenc11#aes128-gcm, http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        "BOTH, http://www.w3.org/2001/04/xmlenc#aes256-cbc, http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        "ASSERTION, http://www.w3.org/2001/04/xmlenc#aes128-cbc, http://www.w3.org/2009/xmlenc11#rsa-oaep"})
    void decryptsWithTheOrganizationsKeyAndChecksTheAssertion(Sign sign, String content, String transport)
            throws SsoFailure {
        String encoded = encrypted().sign(sign).encryptedWith(content, transport).encoded();
        String xml = new String(Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(false, xml.contains("alice@acme.test"), "the address travels encrypted");
        ValidatedAnswer answer = accept(encoded, sp.getPrivate());
        assertEquals("alice@acme.test", answer.identity().email());
        assertEquals(REQUEST, answer.requestId());
        assertEquals(org.hubsso.sso.IdpCertificate.sha256Fingerprint(idp.certificate), answer.verifiedWith());
    }

    /** During a rollover both keys decrypt: the IdP may encrypt to either. */
    @Test
    void triesEveryKeyOfTheOrganization() throws SsoFailure {
        assertEquals("alice@acme.test", accept(encrypted().encoded(), other.getPrivate(), sp.getPrivate())
                .identity().email());
    }

    @Test
    void rsa15KeyTransportIsRefusedBeforeDecryption() {
        rejects(Reason.ENCRYPTION_ALGORITHM, encrypted().encryptedWith("http://www.w3.org/2009/xmlenc11#aes256-gcm",
                "http://www.w3.org/2001/04/xmlenc#rsa-1_5").encoded(), sp.getPrivate());
    }

    /** Content encryption off the list (3DES here) is refused as named, whatever the ciphertext. */
    @Test
    void contentEncryptionOffTheListIsRefused() {
        String tripleDes = TestIdp.mutate(encrypted().encoded(), doc -> {
            Element method = (Element) doc.getElementsByTagNameNS(SamlDecryption.XMLENC_NS, "EncryptionMethod")
                    .item(0);
            assertEquals("EncryptedData", ((Element) method.getParentNode()).getLocalName());
            method.setAttribute("Algorithm", "http://www.w3.org/2001/04/xmlenc#tripledes-cbc");
        });
        rejects(Reason.ENCRYPTION_ALGORITHM, tripleDes, sp.getPrivate());
    }

    /** A wrong key and an altered ciphertext read the same: nothing for a padding oracle. */
    @Test
    void everyDecryptionFailureReadsTheSame() {
        SsoFailure wrongKey = rejects(Reason.DECRYPTION_FAILED, encrypted().encoded(), other.getPrivate());
        String altered = TestIdp.mutate(encrypted().encryptedWith("http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                "http://www.w3.org/2009/xmlenc11#rsa-oaep").encoded(), doc -> {
                    Element value = (Element) doc.getElementsByTagNameNS(SamlDecryption.XMLENC_NS, "CipherValue")
                            .item(1);
                    byte[] cipher = Base64.getMimeDecoder().decode(value.getTextContent());
                    cipher[cipher.length - 1] ^= 0x01; // the last block's padding
                    value.setTextContent(Base64.getEncoder().encodeToString(cipher));
                });
        SsoFailure alteredFailure = rejects(Reason.DECRYPTION_FAILED, altered, sp.getPrivate());
        assertEquals(wrongKey.detail(), alteredFailure.detail());
        rejects(Reason.DECRYPTION_FAILED, encrypted().encoded());
    }

    /** A signed Response covers the ciphertext: an altered one fails on the signature, before any decryption. */
    @Test
    void aSignedResponseIsVerifiedBeforeDecryption() {
        String altered = TestIdp.mutate(encrypted().sign(Sign.RESPONSE).encoded(), doc -> {
            Element value = (Element) doc.getElementsByTagNameNS(SamlDecryption.XMLENC_NS, "CipherValue").item(1);
            byte[] cipher = Base64.getMimeDecoder().decode(value.getTextContent());
            cipher[cipher.length - 1] ^= 0x01;
            value.setTextContent(Base64.getEncoder().encodeToString(cipher));
        });
        rejects(Reason.SIGNATURE_INVALID, altered, sp.getPrivate());
    }

    @Test
    void anUnsignedEncryptedAssertionIsRefused() {
        rejects(Reason.SIGNATURE_INVALID, encrypted().sign(Sign.NONE).encoded(), sp.getPrivate());
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRefused() {
        rejects(Reason.SIGNATURE_INVALID, encrypted().signedBy(new TestIdp(idp.entityId)).encoded(),
                sp.getPrivate());
    }

    /** The decrypted assertion meets every other check: here, an audience of another SP. */
    @Test
    void theDecryptedAssertionMeetsTheAssertionRules() {
        rejects(Reason.AUDIENCE_MISMATCH, idp.answer(REQUEST, "http://other.test/sp", ACS, "alice@acme.test")
                .encryptTo(sp.getPublic()).encoded(), sp.getPrivate());
    }

    /** A plain assertion beside an encrypted one: which would be consumed? Neither. */
    @Test
    void aPlainAssertionBesideAnEncryptedOneIsRefused() {
        String plain = idp.answer(REQUEST, SP, ACS, "mallory@acme.test").encoded();
        String both = TestIdp.mutate(encrypted().encoded(), doc -> {
            try {
                org.w3c.dom.Document other = SamlXml.document(Base64.getDecoder().decode(plain));
                doc.getDocumentElement().appendChild(doc.importNode(TestIdp.assertion(other), true));
            } catch (SsoFailure e) {
                throw new IllegalStateException(e);
            }
        });
        rejects(Reason.ASSERTION_COUNT, both, sp.getPrivate());
    }

    @Test
    void deepNestingIsFound() {
        org.w3c.dom.Document doc = SamlXml.newDocument();
        Element root = doc.createElement("a");
        doc.appendChild(root);
        Element at = root;
        for (int i = 1; i < 70; i++) {
            Element child = doc.createElement("a");
            at.appendChild(doc.createElement("sibling"));
            at.appendChild(child);
            at = child;
        }
        assertEquals(true, SamlDecryption.deeperThan(root, 64));
        assertEquals(false, SamlDecryption.deeperThan(root, 70));
    }
}
