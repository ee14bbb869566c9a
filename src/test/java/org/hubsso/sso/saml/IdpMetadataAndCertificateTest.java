package org.hubsso.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.IdpCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What admins paste: the IdP certificate (PEM) and IdP metadata XML. */
class IdpMetadataAndCertificateTest {

    static TestIdp idp;

    @BeforeAll
    static void init() {
        idp = new TestIdp("https://idp.example.test/saml");
    }

    static String metadata(String certificateBase64) {
        return """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
                    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.test/saml">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
                      <ds:X509Certificate>%s</ds:X509Certificate>
                    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
                        Location="https://idp.example.test/sso/post"/>
                    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
                        Location="https://idp.example.test/sso/redirect"/>
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(certificateBase64);
    }

    static String base64(java.security.cert.X509Certificate cert) throws Exception {
        return Base64.getMimeEncoder().encodeToString(cert.getEncoded());
    }

    @Test
    void readsTheRedirectSignOnUrlTheIssuerAndTheSigningCertificate() throws Exception {
        IdpMetadata read = IdpMetadata.read("metadata", metadata(base64(idp.certificate)));
        assertEquals("https://idp.example.test/sso/redirect", read.signOnUrl());
        assertEquals("https://idp.example.test/saml", read.idpIssuer());
        IdpCertificate parsed = IdpCertificate.parse("certificate", read.certificatePem(), Instant.now());
        assertEquals(idp.certificate, parsed.certificate());
    }

    @Test
    void refusesDoctypesGarbageAndMetadataWithoutWhatIsNeeded() throws Exception {
        String good = metadata(base64(idp.certificate));
        assertThrows(ValidationException.class, () -> IdpMetadata.read("metadata",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + good));
        assertThrows(ValidationException.class, () -> IdpMetadata.read("metadata", "not xml"));
        assertThrows(ValidationException.class, () -> IdpMetadata.read("metadata", " "));
        assertThrows(ValidationException.class, () -> IdpMetadata.read("metadata",
                good.replace("HTTP-Redirect", "SOAP")));
        assertThrows(ValidationException.class, () -> IdpMetadata.read("metadata",
                good.replace("IDPSSODescriptor", "SPSSODescriptor")));
    }

    @Test
    void parsesAPemCertificateAndShowsItsFacts() throws Exception {
        IdpCertificate cert = IdpCertificate.parse("certificate", idp.certificatePem(), Instant.now());
        assertTrue(cert.subject().contains("idp.example.test"), cert.subject());
        assertEquals(95, cert.sha256Fingerprint().length(), "32 bytes as colon-separated hex");
        assertTrue(cert.pem().startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(cert.certificate(), IdpCertificate.parse("certificate", base64(idp.certificate), Instant.now())
                .certificate(), "bare base64 as in metadata is accepted too");
    }

    @Test
    void refusesPrivateKeysGarbageSeveralCertificatesAndExpiredOnes() throws Exception {
        String privateKey = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(idp.keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertEquals("This is a private key. Paste the IdP's certificate instead (it starts with -----BEGIN"
                + " CERTIFICATE-----), and keep the private key secret.",
                assertThrows(ValidationException.class, () -> IdpCertificate.parse("c", privateKey, Instant.now()))
                        .getMessage());
        assertThrows(ValidationException.class, () -> IdpCertificate.parse("c", "hello", Instant.now()));
        assertThrows(ValidationException.class, () -> IdpCertificate.parse("c", "", Instant.now()));
        assertThrows(ValidationException.class, () -> IdpCertificate.parse("c",
                idp.certificatePem() + idp.certificatePem(), Instant.now()));
        ValidationException expired = assertThrows(ValidationException.class,
                () -> IdpCertificate.parse("c", idp.certificatePem(), Instant.now().plusSeconds(400L * 86_400)));
        assertTrue(expired.getMessage().startsWith("This certificate expired on"), expired.getMessage());
    }

    @Test
    void refusesWeakRsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        X500Name name = new X500Name("CN=weak");
        long now = System.currentTimeMillis();
        java.security.cert.X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(now - 60_000), new Date(now + 86_400_000L),
                        name, weak.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(weak.getPrivate())));
        ValidationException e = assertThrows(ValidationException.class,
                () -> IdpCertificate.parse("c", base64(cert), Instant.now()));
        assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    }
}
