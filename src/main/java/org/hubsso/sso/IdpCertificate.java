package org.hubsso.sso;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import org.hubsso.hub.ValidationException;

/**
 * An IdP's signing certificate as an admin pastes it: PEM (or bare base64 DER, as found in IdP metadata),
 * parsed by the JDK. Rejects garbage, private keys, several certificates, expired ones and weak keys, each
 * with a message an admin understands.
 */
public final class IdpCertificate {

    public static final int MAX_PEM_LENGTH = 16_384;
    static final int MIN_RSA_BITS = 2048;

    private final X509Certificate certificate;

    private IdpCertificate(X509Certificate certificate) {
        this.certificate = certificate;
    }

    /**
     * @param field the form field to blame
     * @param text the pasted certificate
     * @param now the instant against which validity is checked
     */
    public static IdpCertificate parse(String field, String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, "Paste the IdP's X.509 signing certificate (PEM).");
        }
        if (text.length() > MAX_PEM_LENGTH) {
            throw new ValidationException(field, "This is too long for one certificate.");
        }
        if (text.contains("PRIVATE KEY")) {
            throw new ValidationException(field, "This is a private key. Paste the IdP's certificate instead"
                    + " (it starts with -----BEGIN CERTIFICATE-----), and keep the private key secret.");
        }
        byte[] der = toDer(field, text.strip());
        Collection<? extends java.security.cert.Certificate> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new ValidationException(field, "This is not a readable X.509 certificate.");
        }
        if (parsed.size() != 1 || !(parsed.iterator().next() instanceof X509Certificate cert)) {
            throw new ValidationException(field, parsed.isEmpty() ? "This is not a readable X.509 certificate."
                    : "Paste exactly one certificate: the IdP's signing certificate.");
        }
        if (cert.getNotAfter().toInstant().isBefore(now)) {
            throw new ValidationException(field, "This certificate expired on " + cert.getNotAfter().toInstant()
                    + ". Download the current signing certificate from your IdP.");
        }
        if (cert.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new ValidationException(field, "This certificate's RSA key has " + rsa.getModulus().bitLength()
                    + " bits; at least " + MIN_RSA_BITS + " are required.");
        }
        return new IdpCertificate(cert);
    }

    private static byte[] toDer(String field, String text) {
        String body = text;
        if (body.contains("-----BEGIN CERTIFICATE-----")) {
            int start = body.indexOf("-----BEGIN CERTIFICATE-----") + "-----BEGIN CERTIFICATE-----".length();
            int end = body.indexOf("-----END CERTIFICATE-----", start);
            if (end < 0) {
                throw new ValidationException(field, "The certificate has no -----END CERTIFICATE----- line.");
            }
            if (body.indexOf("-----BEGIN CERTIFICATE-----", end) >= 0) {
                throw new ValidationException(field, "Paste exactly one certificate: the IdP's signing certificate.");
            }
            body = body.substring(start, end);
        } else if (body.contains("-----BEGIN")) {
            throw new ValidationException(field, "This is not a certificate (it does not start with"
                    + " -----BEGIN CERTIFICATE-----).");
        }
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("\\s+", "").getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "This is not a readable X.509 certificate.");
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** SHA-256 fingerprint as colon-separated upper-case hex, the way IdP consoles show it. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical PEM form stored in the settings. */
    public String pem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return subject().toLowerCase(Locale.ROOT) + " " + sha256Fingerprint();
    }
}
