package org.hubsso.sso;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One SP-initiated login in flight, kept in the database so any cluster node can take the IdP's answer.
 * Bound to the organization, the signed-in account and the hub sign-in (the browser) that started it.
 */
@Entity
@Table(name = "sso_pending_request")
public class PendingRequest {

    @Id
    @Column(name = "request_id", length = 64)
    private String requestId;

    @Column(name = "org_id", nullable = false)
    private Long orgId;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    /** The hub sign-in that started it: only that sign-in completes it, and gets the SSO session. */
    @Column(name = "sign_in_id", nullable = false, length = 64)
    private String signInId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    private SsoProtocol protocol;

    @Column(name = "config_version", nullable = false)
    private long configVersion;

    @Column(name = "test_mode", nullable = false)
    private boolean testMode;

    @Column(name = "return_to", nullable = false, length = 1000)
    private String returnTo;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "answered_at")
    private Instant answeredAt;

    /** How the IdP answered, once it did. */
    @Enumerated(EnumType.STRING)
    @Column(length = 40)
    private Answer outcome;

    /** Who the IdP said the user is ({@link IdpIdentity#toJson()}), when the answer was accepted. */
    @Column(name = "identity_json", length = 16000)
    private String identityJson;

    /** The failed check, when the answer was refused. */
    @Enumerated(EnumType.STRING)
    @Column(name = "failure_reason", length = 40)
    private SsoFailure.Reason failureReason;

    @Column(name = "failure_detail", length = 2000)
    private String failureDetail;

    @Column(name = "failure_skew_millis")
    private Long failureSkewMillis;

    @Column(name = "completed_at")
    private Instant completedAt;

    /** OIDC: the nonce sent to the IdP, until the callback takes it. */
    @Column(name = "oidc_nonce", length = 200)
    private String oidcNonce;

    /** OIDC: the PKCE code verifier, sealed with the hub's secret key, until the callback takes it. */
    @Column(name = "oidc_code_verifier", length = 400)
    private String oidcCodeVerifier;

    /** How an IdP answered a sign-in. */
    public enum Answer {
        ACCEPTED, REFUSED
    }

    protected PendingRequest() {
    }

    public PendingRequest(String requestId, Long orgId, Long accountId, String signInId, SsoProtocol protocol,
            long configVersion, boolean testMode, String returnTo, Instant createdAt, Instant expiresAt) {
        this.requestId = requestId;
        this.orgId = orgId;
        this.accountId = accountId;
        this.signInId = signInId;
        this.protocol = protocol;
        this.configVersion = configVersion;
        this.testMode = testMode;
        this.returnTo = returnTo;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getRequestId() {
        return requestId;
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

    public SsoProtocol getProtocol() {
        return protocol;
    }

    public long getConfigVersion() {
        return configVersion;
    }

    public boolean isTestMode() {
        return testMode;
    }

    public String getReturnTo() {
        return returnTo;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getAnsweredAt() {
        return answeredAt;
    }

    /** How the IdP answered; {@code null} while it has not. */
    public Answer getOutcome() {
        return outcome;
    }

    /** Who the IdP said the user is, for an accepted answer. */
    public IdpIdentity identity() {
        return identityJson == null ? null : IdpIdentity.fromJson(identityJson);
    }

    /** The failed check, for a refused answer (its reason, plain words and measured skew). */
    public SsoFailure failure() {
        if (failureReason == null) {
            return null;
        }
        return new SsoFailure(failureReason, failureDetail == null ? failureReason.text() : failureDetail,
                failureSkewMillis);
    }

    public Instant getCompletedAt() {
        return completedAt;
    }

    public String getOidcNonce() {
        return oidcNonce;
    }

    public String getOidcCodeVerifier() {
        return oidcCodeVerifier;
    }
}
