package org.hubsso.sso;

/**
 * An SSO answer that failed one check. Carries the reason code (for audit, metrics and tests) and plain words for
 * the admin; never the raw message, tokens or a stack trace.
 */
public class SsoFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String detail;
    private final Long skewMillis;
    private String inResponseTo;

    public SsoFailure(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public SsoFailure(Reason reason, String detail, Long skewMillis) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.detail = detail;
        this.skewMillis = skewMillis;
    }

    /** Attaches the (unverified) request id the failed answer claims to answer, to find its pending sign-in. */
    public SsoFailure answering(String requestId) {
        if (this.inResponseTo == null) {
            this.inResponseTo = requestId;
        }
        return this;
    }

    /** The request id the answer claimed, or {@code null}; never trust it beyond locating the pending sign-in. */
    public String inResponseTo() {
        return inResponseTo;
    }

    public Reason reason() {
        return reason;
    }

    /** Plain words: what was checked and what arrived (no secrets). */
    public String detail() {
        return detail;
    }

    public Long skewMillis() {
        return skewMillis;
    }

    /** Every check has its own reason code. */
    public enum Reason {
        REQUEST_TOO_LARGE("The answer (SAML response or ID token) is larger than this server accepts."),
        MALFORMED("The IdP's answer is malformed."),
        DOCTYPE_REJECTED("The SAML response contains a DOCTYPE declaration, which is never accepted."),
        SIGNATURE_INVALID("No valid signature by the IdP key configured or published for this organization."),
        SIGNATURE_ALGORITHM("The response is signed with an algorithm that is not accepted."),
        SIGNED_ELEMENT_MISMATCH("The signed element is not the assertion this server would use."),
        ASSERTION_COUNT("The response must contain exactly one assertion (or one encrypted assertion)."),
        DECRYPTION_FAILED("The encrypted assertion could not be decrypted with this organization's encryption key."),
        ENCRYPTION_ALGORITHM("The assertion is encrypted with an algorithm that is not accepted."),
        STATUS_NOT_SUCCESS("The IdP answered with a status other than Success."),
        DESTINATION_MISMATCH("The response is addressed to another URL than this organization's ACS."),
        RESPONSE_ISSUER_MISMATCH("The response's issuer is not the configured IdP issuer."),
        ASSERTION_ISSUER_MISMATCH("The assertion's issuer is not the configured IdP issuer."),
        AUDIENCE_MISMATCH("The answer is not meant for this organization (audience)."),
        SUBJECT_CONFIRMATION_MISSING("The assertion has no bearer subject confirmation."),
        RECIPIENT_MISMATCH("The subject confirmation names another recipient than this organization's ACS."),
        SUBJECT_CONFIRMATION_EXPIRED("The subject confirmation has expired or has no expiry."),
        SUBJECT_CONFIRMATION_NOT_BEFORE("The bearer subject confirmation has a NotBefore, which the SAML profile"
                + " forbids."),
        UNSOLICITED_RESPONSE("The response answers no request of this server (IdP-initiated login is not"
                + " accepted)."),
        IN_RESPONSE_TO_MISMATCH("The response and its subject confirmation answer different requests."),
        IN_RESPONSE_TO_UNKNOWN("The response answers no pending sign-in of this organization (expired, already"
                + " used, or started elsewhere)."),
        CONDITIONS_MISSING("The assertion has no validity window (Conditions NotBefore/NotOnOrAfter)."),
        NOT_YET_VALID("The answer is not valid yet: the IdP's clock is ahead of this server's."),
        EXPIRED("The answer has expired: it is too old, or the IdP's clock is behind this server's."),
        AUTHN_STATEMENT_MISSING("The assertion has no authentication statement."),
        REPLAYED("This assertion was already used."),
        EMAIL_MISSING("The IdP sent no email address for the user."),
        EMAIL_NOT_VERIFIED("The IdP does not vouch that the user's email address is verified (email_verified)."),
        IDP_ERROR("The IdP answered with an error instead of signing the user in."),
        IDP_UNREACHABLE("The IdP could not be reached or answered with an error in time."),
        STATE_MISSING("The answer carries no state, or this browser session has no sign-in in progress."),
        STATE_MISMATCH("The answer's state does not belong to the sign-in this browser session started."),
        TOKEN_EXCHANGE_FAILED("The IdP refused to exchange the authorization code for tokens."),
        ID_TOKEN_MISSING("The IdP's token response has no ID token."),
        ID_TOKEN_ALGORITHM("The ID token is unsigned or signed with an algorithm that is not accepted."),
        ID_TOKEN_KEY_UNKNOWN("The ID token is signed with a key the IdP does not publish (unknown kid)."),
        ISSUER_MISMATCH("The ID token's issuer is not the configured issuer."),
        AUTHORIZED_PARTY_MISMATCH("The ID token has several audiences and names another authorized party (azp)."),
        NONCE_MISSING("The ID token carries no nonce, or this browser session has none."),
        NONCE_MISMATCH("The ID token's nonce is not the one this sign-in sent."),
        CONFIGURATION_UNUSABLE("The organization's single sign-on configuration cannot be used with this IdP; an"
                + " admin must run Update and Test again."),
        SECRET_UNREADABLE("The organization's client secret cannot be opened with this server's secret key: an admin"
                + " must enter it again, or every node must be given the same hub.secret-key."),
        SP_KEY_UNREADABLE("The organization's SP signing key cannot be opened with this server's secret key: every"
                + " node must be given the same hub.secret-key."),
        EMAIL_MISMATCH("The email the IdP vouches for is not a verified email of your hub account."),
        EMAIL_DOMAIN_NOT_ALLOWED("The email the IdP vouches for is not in one of the organization's matching email"
                + " domains."),
        SESSION_MISMATCH("This sign-in was started in another browser session or by another account."),
        GROUPS_OVERAGE("The IdP sent a reference to the user's groups instead of the groups (Entra ID does past 200"
                + " groups in a token, 150 in SAML), so the organization's role mapping cannot be applied."),
        CONFIGURATION_CHANGED("The configuration under test was changed, applied or discarded while the IdP answered;"
                + " run Update and Test again.");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
