package org.hubsso.sso;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * One of an organization's own SAML key pairs (the service provider's): its self-signed certificate, which the SP
 * metadata publishes, and its private key, which never leaves the server ({@link #toString()} leaves it out).
 *
 * @param sha256 the certificate's SHA-256 fingerprint, the key's name in the database, the audit log and the pages
 * @param privateKey {@code null} when this server's secret key does not open it (a node of a cluster started with
 *        another {@code hub.secret-key})
 */
public record SpKey(String sha256, Use use, State state, X509Certificate certificate, PrivateKey privateKey,
        Instant createdAt, Instant activatedAt) {

    /** What the key is for: signing AuthnRequests, or decrypting the assertions an IdP encrypts to it. */
    public enum Use {
        SIGNING, ENCRYPTION;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The use its {@link #code()} names ({@code signing}, {@code encryption}). */
        public static Use of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * In use ({@code ACTIVE}), published before it takes over ({@code NEXT}), or replaced ({@code RETIRED}: no longer
     * published; an encryption key still decrypts for a grace period). Declared in the order metadata lists keys and
     * decryption tries them.
     */
    public enum State {
        ACTIVE, NEXT, RETIRED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** The certificate as base64 DER, as metadata and IdP consoles take it. */
    public String certificateBase64() {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as one PEM block. */
    public String pem() {
        return IdpCertificate.pem(certificate);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "SpKey[" + use.code() + ", " + state.code() + ", " + sha256 + "]";
    }
}
