package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.Map;
import java.util.Objects;

/**
 * An organization's OpenID provider, as its admin configured it: a value. The client secret is held sealed
 * ({@link SsoSecrets}); {@link #diff} says only that it changed, never what it is.
 */
@Embeddable
public class OidcConfig {

    public static final String DEFAULT_SCOPES = "openid email profile";
    public static final String DEFAULT_EMAIL_CLAIM = "email";

    @Column(name = "oidc_issuer", length = 1000)
    private String issuer;

    @Column(name = "oidc_client_id", length = 500)
    private String clientId;

    /** Sealed by {@link SsoSecrets}; never shown, logged or audited. */
    @Column(name = "oidc_client_secret", length = 2000)
    private String sealedClientSecret;

    @Column(name = "oidc_scopes", nullable = false, length = 500)
    private String scopes = DEFAULT_SCOPES;

    @Column(name = "oidc_email_claim", nullable = false, length = 200)
    private String emailClaim = DEFAULT_EMAIL_CLAIM;

    @Column(name = "oidc_require_email_verified", nullable = false)
    private boolean requireEmailVerified = true;

    /**
     * From an Entra ID v2.0 issuer only, and only when {@code email_verified} is absent: Entra's {@code xms_edov}
     * ("email domain owner verified") counts as the verified-email proof.
     */
    @Column(name = "oidc_entra_edov", nullable = false)
    private boolean acceptEntraEdov = true;

    /** The discovery document as fetched and checked when the configuration was saved. */
    @Column(name = "oidc_metadata", length = 32000)
    private String metadata;

    protected OidcConfig() {
    }

    public OidcConfig(String issuer, String clientId, String sealedClientSecret, String scopes, String emailClaim,
            boolean requireEmailVerified, String metadata) {
        this(issuer, clientId, sealedClientSecret, scopes, emailClaim, requireEmailVerified, true, metadata);
    }

    /** @param acceptEntraEdov whether Entra ID's {@code xms_edov} counts as email verification (Entra issuers only) */
    public OidcConfig(String issuer, String clientId, String sealedClientSecret, String scopes, String emailClaim,
            boolean requireEmailVerified, boolean acceptEntraEdov, String metadata) {
        this.acceptEntraEdov = acceptEntraEdov;
        this.issuer = issuer;
        this.clientId = clientId;
        this.sealedClientSecret = sealedClientSecret;
        this.scopes = scopes == null ? DEFAULT_SCOPES : scopes;
        this.emailClaim = emailClaim == null ? DEFAULT_EMAIL_CLAIM : emailClaim;
        this.requireEmailVerified = requireEmailVerified;
        this.metadata = metadata;
    }

    /** Nothing configured yet. */
    public static OidcConfig none() {
        return new OidcConfig();
    }

    /** A copy, for another entity to hold: JPA lets no two entities share one embedded object. */
    public OidcConfig copy() {
        return new OidcConfig(issuer, clientId, sealedClientSecret, scopes, emailClaim, requireEmailVerified,
                acceptEntraEdov, metadata);
    }

    public boolean isComplete() {
        return issuer != null && clientId != null && metadata != null;
    }

    public String getIssuer() {
        return issuer;
    }

    public String getClientId() {
        return clientId;
    }

    /** The sealed client secret ({@link SsoSecrets#openOidcSecret}), or {@code null} for a public client. */
    public String getSealedClientSecret() {
        return sealedClientSecret;
    }

    public boolean hasClientSecret() {
        return sealedClientSecret != null;
    }

    public String getScopes() {
        return scopes;
    }

    public String getEmailClaim() {
        return emailClaim;
    }

    public boolean isRequireEmailVerified() {
        return requireEmailVerified;
    }

    public boolean isAcceptEntraEdov() {
        return acceptEntraEdov;
    }

    public String getMetadata() {
        return metadata;
    }

    /** What changes from {@code before} to this; the secret only as "changed", the discovery document as "fetched". */
    void diff(OidcConfig before, Map<String, Object> into) {
        Diffs.put(into, "issuerUrl", before.issuer, issuer);
        Diffs.put(into, "clientId", before.clientId, clientId);
        if (!Objects.equals(before.sealedClientSecret, sealedClientSecret)) {
            into.put("clientSecret", "changed");
        }
        Diffs.put(into, "scopes", before.scopes, scopes);
        Diffs.put(into, "emailClaim", before.emailClaim, emailClaim);
        Diffs.put(into, "requireEmailVerified", before.requireEmailVerified, requireEmailVerified);
        Diffs.put(into, "acceptEntraEdov", before.acceptEntraEdov, acceptEntraEdov);
        if (!Objects.equals(before.metadata, metadata)) {
            into.put("discovery", "fetched");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OidcConfig c && Objects.equals(issuer, c.issuer) && Objects.equals(clientId, c.clientId)
                && Objects.equals(sealedClientSecret, c.sealedClientSecret) && Objects.equals(scopes, c.scopes)
                && Objects.equals(emailClaim, c.emailClaim) && requireEmailVerified == c.requireEmailVerified
                && acceptEntraEdov == c.acceptEntraEdov
                && Objects.equals(metadata, c.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, clientId, sealedClientSecret, scopes, emailClaim, requireEmailVerified,
                acceptEntraEdov, metadata);
    }
}
