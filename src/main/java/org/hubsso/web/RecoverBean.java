package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import org.hubsso.access.Viewer;
import org.hubsso.hub.Paths;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.RecoveryCodes;

/**
 * {@code /organizations/{org}/recover}: an admin locked out by the organization's IdP enters a recovery code and gets
 * a short session that reaches the organization's settings only.
 */
@Named("recover")
@RequestScoped
public class RecoverBean {

    @Inject
    RecoveryCodes codes;

    @Inject
    Viewer viewer;

    private String code;

    public String getOrg() {
        return Pages.route().org();
    }

    public void use() {
        try {
            Instant until = codes.use(getOrg(), viewer.getAccountId(), viewer.getSignInId(), code);
            Pages.notice("Recovery session until " + until + ": you can repair single sign-on or disable it. The"
                    + " organization's content stays closed until you pass the identity provider.");
            Pages.redirect(Paths.ssoSettings(getOrg()));
        } catch (TooManyAttemptsException e) {
            Pages.error(e.getMessage());
        } catch (ValidationException e) {
            Pages.fieldError("recover", e);
        } finally {
            code = null;
        }
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }
}
