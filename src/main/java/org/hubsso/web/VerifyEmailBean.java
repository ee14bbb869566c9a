package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.access.Viewer;
import org.hubsso.account.EmailVerification;

/**
 * {@code /settings/account/verify?token=...}: follows a verification link, signed in (the route asks to sign in
 * first). The page says what happened; only a valid link of this account changes anything.
 */
@Named("verifyEmail")
@RequestScoped
public class VerifyEmailBean {

    @Inject
    EmailVerification verification;

    @Inject
    Viewer viewer;

    private EmailVerification.Result result;

    public void load() {
        String token = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("token");
        result = verification.verify(viewer.getAccountId(), token);
        if (result.outcome() != EmailVerification.Outcome.VERIFIED) {
            FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(400);
        }
    }

    public String getOutcome() {
        return result == null ? null : result.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String getAddress() {
        return result == null ? null : result.address();
    }
}
