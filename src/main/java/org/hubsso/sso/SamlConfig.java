package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.Map;
import java.util.Objects;

/**
 * An organization's SAML IdP, as its admin configured it: a value. Two configurations are the same when every field
 * is; {@link #diff} names what differs, for the audit trail (the certificate by its fingerprint).
 */
@Embeddable
public class SamlConfig {

    public static final String DEFAULT_EMAIL_ATTRIBUTE = "email";

    @Column(name = "saml_sign_on_url", length = 2000)
    private String signOnUrl;

    @Column(name = "saml_idp_issuer", length = 1000)
    private String idpIssuer;

    /** PEM, in the canonical form {@code IdpCertificate.pem()} writes. */
    @Column(name = "saml_idp_certificate", length = 16384)
    private String certificatePem;

    @Column(name = "saml_email_attribute", nullable = false, length = 200)
    private String emailAttribute = DEFAULT_EMAIL_ATTRIBUTE;

    @Column(name = "saml_allow_sha1", nullable = false)
    private boolean allowSha1;

    protected SamlConfig() {
    }

    public SamlConfig(String signOnUrl, String idpIssuer, String certificatePem, String emailAttribute,
            boolean allowSha1) {
        this.signOnUrl = signOnUrl;
        this.idpIssuer = idpIssuer;
        this.certificatePem = certificatePem;
        this.emailAttribute = emailAttribute == null ? DEFAULT_EMAIL_ATTRIBUTE : emailAttribute;
        this.allowSha1 = allowSha1;
    }

    /** Nothing configured yet. */
    public static SamlConfig none() {
        return new SamlConfig();
    }

    /** A copy, for another entity to hold: JPA lets no two entities share one embedded object. */
    public SamlConfig copy() {
        return new SamlConfig(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1);
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

    public String getCertificatePem() {
        return certificatePem;
    }

    public String getEmailAttribute() {
        return emailAttribute;
    }

    public boolean isAllowSha1() {
        return allowSha1;
    }

    /**
     * What changes from {@code before} to this, field by field ({@code "old -> new"}); the certificate as its SHA-256
     * fingerprint, given by {@code fingerprint}.
     */
    void diff(SamlConfig before, java.util.function.Function<String, String> fingerprint, Map<String, Object> into) {
        Diffs.put(into, "signOnUrl", before.signOnUrl, signOnUrl);
        Diffs.put(into, "idpIssuer", before.idpIssuer, idpIssuer);
        if (!Objects.equals(before.certificatePem, certificatePem)) {
            into.put("certificateSha256", Diffs.arrow(before.certificatePem == null ? null
                    : fingerprint.apply(before.certificatePem), certificatePem == null ? null
                    : fingerprint.apply(certificatePem)));
        }
        Diffs.put(into, "emailAttribute", before.emailAttribute, emailAttribute);
        Diffs.put(into, "allowSha1", before.allowSha1, allowSha1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamlConfig c && Objects.equals(signOnUrl, c.signOnUrl)
                && Objects.equals(idpIssuer, c.idpIssuer) && Objects.equals(certificatePem, c.certificatePem)
                && Objects.equals(emailAttribute, c.emailAttribute) && allowSha1 == c.allowSha1;
    }

    @Override
    public int hashCode() {
        return Objects.hash(signOnUrl, idpIssuer, certificatePem, emailAttribute, allowSha1);
    }
}
