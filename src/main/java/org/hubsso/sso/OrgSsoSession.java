package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Proof that an account passed its organization's IdP in one hub sign-in (a browser's): it counts for that sign-in
 * only, so another browser signed in with the password alone must pass the IdP itself. Valid from creation until
 * {@code expiresAt}, unless revoked or its sign-in ended. Kept in the database, so it holds on every cluster node.
 */
@Entity
@Table(name = "org_sso_session")
public class OrgSsoSession {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    /** The hub sign-in ({@code hub_sign_in}) in which the IdP was passed. */
    @Column(name = "sign_in_id", nullable = false, length = 64)
    private String signInId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "idp_issuer", length = 1000)
    private String idpIssuer;

    @Column(length = 1000)
    private String subject;

    @Column(name = "attributes_json", length = 16000)
    private String attributesJson;

    protected OrgSsoSession() {
    }

    public OrgSsoSession(Long orgId, Long accountId, String signInId, Instant createdAt, Instant expiresAt) {
        this.orgId = orgId;
        this.accountId = accountId;
        this.signInId = signInId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public Long getOrgId() {
        return orgId;
    }

    public Long getAccountId() {
        return accountId;
    }

    public String getSignInId() {
        return signInId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    /** Who the IdP said the account is, as a snapshot of the login. */
    public void describe(String idpIssuer, String subject, String attributesJson) {
        this.idpIssuer = idpIssuer;
        this.subject = subject;
        this.attributesJson = attributesJson != null && attributesJson.length() > 16000 ? null : attributesJson;
    }

    public String getIdpIssuer() {
        return idpIssuer;
    }

    public String getSubject() {
        return subject;
    }

    public String getAttributesJson() {
        return attributesJson;
    }

    public void revoke(Instant now) {
        this.revokedAt = now;
    }
}
