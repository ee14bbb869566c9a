package org.hubsso.sso.oidc;

import org.hubsso.sso.SsoFailure;

/** Carries a failed check through pac4j, which only lets runtime exceptions out of its token validation. */
final class OidcRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;
    final transient SsoFailure failure;

    OidcRejected(SsoFailure failure) {
        super(failure.reason().name(), null, false, false);
        this.failure = failure;
    }

    static OidcRejected of(SsoFailure.Reason reason, String detail) {
        return new OidcRejected(new SsoFailure(reason, detail));
    }
}
