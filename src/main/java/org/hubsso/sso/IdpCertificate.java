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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hubsso.hub.ValidationException;

/**
 * An IdP's signing certificate as an admin pastes it: PEM (or bare base64 DER, as found in IdP metadata),
 * parsed by the JDK. Rejects garbage, private keys, expired ones and weak keys, each with a message an admin
 * understands; {@link #parse} takes exactly one, {@link #parseAll} the few a configuration trusts at once.
 */
public final class IdpCertificate {

    public static final int MAX_PEM_LENGTH = 16_384;
    /** How many signing certificates one configuration trusts at most (during a rollover: two or three). */
    public static final int MAX_TRUSTED = 5;
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";
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

    /**
     * One or more pasted certificates (PEM blocks one after the other, or one bare base64 DER), each checked as
     * {@link #parse} checks one; the same certificate twice counts once; at most {@link #MAX_TRUSTED}.
     */
    public static List<IdpCertificate> parseAll(String field, String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(field, "Paste the IdP's X.509 signing certificate (PEM).");
        }
        if (text.length() > MAX_PEM_LENGTH * MAX_TRUSTED) {
            throw new ValidationException(field, "This is too long for " + MAX_TRUSTED + " certificates.");
        }
        List<String> blocks = blocks(text);
        Map<String, IdpCertificate> unique = new LinkedHashMap<>();
        for (String block : blocks.isEmpty() ? List.of(text) : blocks) {
            IdpCertificate cert = parse(field, block, now);
            unique.putIfAbsent(cert.sha256Fingerprint(), cert);
        }
        if (unique.size() > MAX_TRUSTED) {
            throw new ValidationException(field, "Trust at most " + MAX_TRUSTED + " certificates: the current one"
                    + " and the next during a rollover.");
        }
        return List.copyOf(unique.values());
    }

    /** The certificates a configuration stores ({@link #pems}), without checks: expired ones stay usable keys. */
    public static List<IdpCertificate> stored(String pems) {
        if (pems == null || pems.isBlank()) {
            return List.of();
        }
        List<String> blocks = blocks(pems);
        List<IdpCertificate> certificates = new ArrayList<>();
        for (String block : blocks.isEmpty() ? List.of(pems) : blocks) {
            certificates.add(parse("certificate", block, Instant.MIN));
        }
        return List.copyOf(certificates);
    }

    /** How a configuration stores certificates: their canonical PEM blocks, one after the other; none: null. */
    public static String pems(List<IdpCertificate> certificates) {
        return certificates.isEmpty() ? null
                : String.join("", certificates.stream().map(IdpCertificate::pem).toList());
    }

    /** The PEM blocks of a text, each from its BEGIN to its END line (none when it has no BEGIN line). */
    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        int from = text.indexOf(BEGIN);
        while (from >= 0) {
            int end = text.indexOf(END, from);
            int next = text.indexOf(BEGIN, from + BEGIN.length());
            int stop = end < 0 || (next >= 0 && next < end) ? (next < 0 ? text.length() : next) : end + END.length();
            blocks.add(text.substring(from, stop));
            from = next;
        }
        return blocks;
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
        return sha256Fingerprint(certificate);
    }

    /** Any certificate's SHA-256 fingerprint, in the same form. */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical PEM form stored in the settings. */
    public String pem() {
        return pem(certificate);
    }

    /** Any certificate in the same PEM form. */
    public static String pem(X509Certificate certificate) {
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
