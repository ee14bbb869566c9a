package org.hubsso.sso;

/**
 * Where an SSO step sends the browser next: a redirect (same-origin path or the IdP's URL), or a failure page
 * with its HTTP status, reason code and plain words.
 */
public record SsoOutcome(String redirect, int status, SsoFailure.Reason reason, String detail) {

    public static SsoOutcome redirect(String location) {
        return new SsoOutcome(location, 303, null, null);
    }

    public static SsoOutcome failed(int status, SsoFailure.Reason reason, String detail) {
        return new SsoOutcome(null, status, reason, detail);
    }

    public boolean isRedirect() {
        return redirect != null;
    }
}
