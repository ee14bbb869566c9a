package org.hubsso.sso;

/**
 * Where an SSO step sends the browser next: a redirect (same-origin path or the IdP's URL), or a failure page
 * with its HTTP status, reason code and plain words.
 *
 * @param idpEmail for an email mismatch: the address the IdP vouched for, which the page offers to add and verify
 */
public record SsoOutcome(String redirect, int status, SsoFailure.Reason reason, String detail, String idpEmail) {

    public static SsoOutcome redirect(String location) {
        return new SsoOutcome(location, 303, null, null, null);
    }

    public static SsoOutcome failed(int status, SsoFailure.Reason reason, String detail) {
        return new SsoOutcome(null, status, reason, detail, null);
    }

    /** An email mismatch, with the IdP's address for the way out (add it to the account and verify it). */
    public static SsoOutcome mismatch(String detail, String idpEmail) {
        return new SsoOutcome(null, 403, SsoFailure.Reason.EMAIL_MISMATCH, detail, idpEmail);
    }

    public boolean isRedirect() {
        return redirect != null;
    }
}
