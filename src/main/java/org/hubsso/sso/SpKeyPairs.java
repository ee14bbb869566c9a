package org.hubsso.sso;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * New SP key pairs: RSA from the JDK, wrapped in a self-signed X.509 certificate written by Bouncy Castle's PKIX
 * library (signed with SHA256withRSA by the JDK's own provider; Bouncy Castle is not registered as a JCA provider).
 * In SAML metadata a certificate is a container for the public key: nobody checks its chain, so it is self-signed and
 * long-lived, and a key is replaced by a rollover, not by expiry.
 */
final class SpKeyPairs {

    /** RSA modulus size: 3072 bits (NIST SP 800-57: beyond 2030). */
    static final int RSA_BITS = 3072;
    static final Duration VALIDITY = Duration.ofDays(10 * 365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SpKeyPairs() {
    }

    record Generated(KeyPair keys, X509Certificate certificate) {
    }

    /** A new key pair and its certificate, {@code CN=<commonName>}, valid from an hour ago for ten years. */
    static Generated generate(String commonName, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM)
                    .add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    name, keys.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new Generated(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate an RSA key pair and its certificate", e);
        }
    }
}
