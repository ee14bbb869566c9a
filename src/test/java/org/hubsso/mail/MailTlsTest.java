package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hubsso.hub.HubClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP over TLS from the first byte ({@code hub.mail.security=ssl}) against GreenMail's SMTPS on 127.0.0.1, with a
 * certificate made here for exactly 127.0.0.1: the hub delivers when it trusts the certificate and the certificate
 * names the host it connected to, and keeps the message otherwise.
 */
class MailTlsTest {

    private static final String KEYSTORE_PROPERTY = "greenmail.tls.keystore.file";
    private static X509Certificate certificate;

    private final HubClock clock = new HubClock();
    private MailTestDatabase db;
    private MailQueue queue;
    private int port;
    private TestSmtpServer smtps;

    /** GreenMail's SMTPS serves the key in the keystore this property names, read when it starts. */
    @BeforeAll
    static void serverCertificate(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=127.0.0.1");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
                new Date(now - 60_000), new Date(now + 86_400_000L), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("smtps", pair.getPrivate(), "changeit".toCharArray(), new Certificate[] {certificate});
        Path file = dir.resolve("smtps.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            keys.store(out, "changeit".toCharArray());
        }
        System.setProperty(KEYSTORE_PROPERTY, file.toString());
    }

    @AfterAll
    static void forgetCertificate() {
        System.clearProperty(KEYSTORE_PROPERTY);
    }

    @BeforeEach
    void setUp() {
        clock.use(Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));
        db = new MailTestDatabase();
        queue = new MailQueue(db.dataSource, clock);
        port = TestSmtpServer.freePort();
        smtps = TestSmtpServer.started(port, "smtps");
    }

    @AfterEach
    void tearDown() throws Exception {
        smtps.stop();
        db.close();
    }

    private int deliverTo(String host, SSLSocketFactory tls) {
        MailSettings settings = MailSettingsTest.settings("hub.mail.host", host, "hub.mail.port",
                Integer.toString(port), "hub.mail.security", "ssl", "hub.mail.user", TestSmtpServer.USER,
                "hub.mail.password", TestSmtpServer.PASSWORD, "hub.mail.timeout", "3s");
        return new MailSender(queue, new SmtpDelivery(settings, tls), clock, settings.claimLease()).deliverDue();
    }

    @Test
    void deliversOverTlsToAServerWithATrustedCertificateForItsName() throws Exception {
        long id = queue.add(new MailMessage("ada@example.org", "Over TLS", "Body"));

        assertEquals(1, deliverTo("127.0.0.1", trusting(certificate)));

        assertTrue(smtps.waitForIncomingEmail(5_000, 1));
        assertEquals("Over TLS", smtps.getReceivedMessages()[0].getSubject());
        assertEquals("SENT", db.row(id).get("status"));
    }

    @Test
    void keepsTheMessageWhenTheCertificateIsNotTrusted() {
        long id = queue.add(new MailMessage("ada@example.org", "Over TLS", "Body"));

        assertEquals(0, deliverTo("127.0.0.1", null), "the JVM's trust store does not know the certificate");

        assertEquals(0, smtps.getReceivedMessages().length);
        assertEquals("PENDING", db.row(id).get("status"));
        String error = (String) db.row(id).get("last_error");
        assertTrue(error.contains("unable to find valid certification path"), error);
    }

    @Test
    void keepsTheMessageWhenTheCertificateNamesAnotherHost() {
        long id = queue.add(new MailMessage("ada@example.org", "Over TLS", "Body"));

        // "localhost" is 127.0.0.1 too, but the trusted certificate names only the address.
        assertEquals(0, deliverTo("localhost", trusting(certificate)));

        assertEquals(0, smtps.getReceivedMessages().length);
        assertEquals("PENDING", db.row(id).get("status"));
        String error = (String) db.row(id).get("last_error");
        assertTrue(error.contains("No name matching localhost"), error);
    }

    private static SSLSocketFactory trusting(X509Certificate certificate) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("smtps", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
