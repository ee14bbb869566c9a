package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An organization's SAML IdP, as its admin configured it: a value. Two configurations are the same when every field
 * is; {@link #diff} names what differs, for the audit trail (certificates by their fingerprints). It trusts one or
 * more signing certificates (during a rollover, the current one and the next), and may name the IdP's metadata URL,
 * from which the certificates and the Sign-On URL are refreshed.
 */
@Embeddable
public class SamlConfig {

    /**
     * No attribute named: the email is the NameID when its format is email, else the one address among the
     * attributes IdPs send it in (email, mail, its OID, the claim URI).
     */
    public static final String DEFAULT_EMAIL_ATTRIBUTE = "";

    @Column(name = "saml_sign_on_url", length = 2000)
    private String signOnUrl;

    @Column(name = "saml_idp_issuer", length = 1000)
    private String idpIssuer;

    /** The trusted certificates: PEM blocks one after the other, each as {@code IdpCertificate.pem()} writes it. */
    @Column(name = "saml_idp_certificate", length = 32768)
    private String certificatePem;

    @Column(name = "saml_metadata_url", length = 2000)
    private String metadataUrl;

    @Column(name = "saml_email_attribute", nullable = false, length = 200)
    private String emailAttribute = DEFAULT_EMAIL_ATTRIBUTE;

    @Column(name = "saml_allow_sha1", nullable = false)
    private boolean allowSha1;

    /** AuthnRequests signed with the organization's SP signing key (HTTP-Redirect binding, RSA-SHA256). */
    @Column(name = "saml_sign_requests", nullable = false)
    private boolean signRequests;

    /** For JPA, and {@link #none()}: a new configuration signs its AuthnRequests unless the admin turns it off. */
    protected SamlConfig() {
        this.signRequests = true;
    }

    public SamlConfig(String signOnUrl, String idpIssuer, String certificatePem, String emailAttribute,
            boolean allowSha1) {
        this(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1, null);
    }

    /** @param certificatePem one or more PEM blocks, as {@link IdpCertificate#pems} writes them */
    public SamlConfig(String signOnUrl, String idpIssuer, String certificatePem, String emailAttribute,
            boolean allowSha1, String metadataUrl) {
        this(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1, metadataUrl, false);
    }

    /** @param signRequests whether AuthnRequests are signed with the organization's SP signing key */
    public SamlConfig(String signOnUrl, String idpIssuer, String certificatePem, String emailAttribute,
            boolean allowSha1, String metadataUrl, boolean signRequests) {
        this.signRequests = signRequests;
        this.signOnUrl = signOnUrl;
        this.idpIssuer = idpIssuer;
        this.certificatePem = certificatePem;
        this.emailAttribute = emailAttribute == null ? DEFAULT_EMAIL_ATTRIBUTE : emailAttribute;
        this.allowSha1 = allowSha1;
        this.metadataUrl = metadataUrl;
    }

    /** Nothing configured yet. */
    public static SamlConfig none() {
        return new SamlConfig();
    }

    /** A copy, for another entity to hold: JPA lets no two entities share one embedded object. */
    public SamlConfig copy() {
        return new SamlConfig(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1, metadataUrl,
                signRequests);
    }

    /** The same configuration trusting {@code certificates} (none: {@code null}) and with this Sign-On URL. */
    public SamlConfig with(String signOnUrl, List<IdpCertificate> certificates) {
        return new SamlConfig(signOnUrl, idpIssuer, IdpCertificate.pems(certificates), emailAttribute, allowSha1,
                metadataUrl, signRequests);
    }

    public boolean isComplete() {
        return signOnUrl != null && idpIssuer != null && certificatePem != null;
    }

    public String getSignOnUrl() {
        return signOnUrl;
    }

    public String getIdpIssuer() {
        return idpIssuer;
    }

    /** Every trusted certificate's PEM, one after the other. */
    public String getCertificatePem() {
        return certificatePem;
    }

    /** The trusted certificates, parsed (expired ones too: a certificate here is a key container). */
    public List<IdpCertificate> certificates() {
        return IdpCertificate.stored(certificatePem);
    }

    /** The IdP metadata URL the configuration is refreshed from, or {@code null}. */
    public String getMetadataUrl() {
        return metadataUrl;
    }

    public String getEmailAttribute() {
        return emailAttribute;
    }

    public boolean isAllowSha1() {
        return allowSha1;
    }

    public boolean isSignRequests() {
        return signRequests;
    }

    /**
     * What changes from {@code before} to this, field by field ({@code "old -> new"}); the certificate as its SHA-256
     * fingerprint, given by {@code fingerprint}.
     */
    void diff(SamlConfig before, Map<String, Object> into) {
        Diffs.put(into, "signOnUrl", before.signOnUrl, signOnUrl);
        Diffs.put(into, "idpIssuer", before.idpIssuer, idpIssuer);
        if (!Objects.equals(before.certificatePem, certificatePem)) {
            into.put("certificateSha256", Diffs.arrow(fingerprints(before), fingerprints(this)));
        }
        Diffs.put(into, "metadataUrl", before.metadataUrl, metadataUrl);
        Diffs.put(into, "emailAttribute", before.emailAttribute, emailAttribute);
        Diffs.put(into, "allowSha1", before.allowSha1, allowSha1);
        Diffs.put(into, "signRequests", before.signRequests, signRequests);
    }

    /** The trusted certificates' fingerprints, comma-separated, or {@code null} for none. */
    private static String fingerprints(SamlConfig config) {
        List<IdpCertificate> certificates = config.certificates();
        return certificates.isEmpty() ? null
                : String.join(", ", certificates.stream().map(IdpCertificate::sha256Fingerprint).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamlConfig c && Objects.equals(signOnUrl, c.signOnUrl)
                && Objects.equals(idpIssuer, c.idpIssuer) && Objects.equals(certificatePem, c.certificatePem)
                && Objects.equals(emailAttribute, c.emailAttribute) && allowSha1 == c.allowSha1
                && Objects.equals(metadataUrl, c.metadataUrl) && signRequests == c.signRequests;
    }

    @Override
    public int hashCode() {
        return Objects.hash(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1, metadataUrl,
                signRequests);
    }
}
