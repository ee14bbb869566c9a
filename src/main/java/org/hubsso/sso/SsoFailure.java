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
        REQUEST_TOO_LARGE("The SAML response is larger than this server accepts."),
        MALFORMED("The answer is not a well-formed SAML response."),
        DOCTYPE_REJECTED("The SAML response contains a DOCTYPE declaration, which is never accepted."),
        SIGNATURE_INVALID("No valid signature by the IdP certificate configured for this organization."),
        SIGNATURE_ALGORITHM("The response is signed with an algorithm that is not accepted."),
        SIGNED_ELEMENT_MISMATCH("The signed element is not the assertion this server would use."),
        ASSERTION_COUNT("The response must contain exactly one unencrypted assertion."),
        STATUS_NOT_SUCCESS("The IdP answered with a status other than Success."),
        DESTINATION_MISMATCH("The response is addressed to another URL than this organization's ACS."),
        RESPONSE_ISSUER_MISMATCH("The response's issuer is not the configured IdP issuer."),
        ASSERTION_ISSUER_MISMATCH("The assertion's issuer is not the configured IdP issuer."),
        AUDIENCE_MISMATCH("The assertion is not meant for this organization's service provider (audience)."),
        SUBJECT_CONFIRMATION_MISSING("The assertion has no bearer subject confirmation."),
        RECIPIENT_MISMATCH("The subject confirmation names another recipient than this organization's ACS."),
        SUBJECT_CONFIRMATION_EXPIRED("The subject confirmation has expired or has no expiry."),
        UNSOLICITED_RESPONSE("The response answers no request of this server (IdP-initiated login is not"
                + " accepted)."),
        IN_RESPONSE_TO_MISMATCH("The response and its subject confirmation answer different requests."),
        IN_RESPONSE_TO_UNKNOWN("The response answers no pending sign-in of this organization (expired, already"
                + " used, or started elsewhere)."),
        CONDITIONS_MISSING("The assertion has no validity window (Conditions NotBefore/NotOnOrAfter)."),
        NOT_YET_VALID("The assertion is not valid yet: the IdP's clock is ahead of this server's."),
        EXPIRED("The assertion has expired: it is too old, or the IdP's clock is behind this server's."),
        AUTHN_STATEMENT_MISSING("The assertion has no authentication statement."),
        REPLAYED("This assertion was already used."),
        EMAIL_MISSING("The IdP sent no email address for the user."),
        EMAIL_MISMATCH("The email the IdP vouches for is not a verified email of your hub account."),
        SESSION_MISMATCH("This sign-in was started in another browser session or by another account.");

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
