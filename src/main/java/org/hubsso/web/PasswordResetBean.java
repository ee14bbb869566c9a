package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hubsso.account.Passwords;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;

/**
 * {@code /login/forgot} (ask for a reset link: the same answer for every address) and {@code /login/reset?token=}
 * (choose a new password with the link).
 */
@Named("passwordReset")
@RequestScoped
public class PasswordResetBean {

    @Inject
    Passwords passwords;

    @Inject
    HttpServletRequest request;

    @Inject
    ClientAddress clientAddress;

    private String email;
    private String token;
    private String password;
    private String again;
    private Passwords.Outcome outcome;

    public void request() {
        try {
            passwords.requestReset(email, clientAddress.of(request));
            Pages.notice("If an account has this verified email, a link to reset its password is on its way. It"
                    + " works for one hour.");
            Pages.redirect("/login");
        } catch (ValidationException e) {
            Pages.fieldError("forgot", e);
        } catch (TooManyAttemptsException e) {
            Pages.tooMany(e);
        }
    }

    /**
     * Checks the link, once per request, when the page first asks: on the link itself ({@code ?token=}) and on the
     * form's post (its hidden field), before Faces decides whether the form is there to be processed.
     */
    private Passwords.Outcome checked() {
        if (outcome == null) {
            var params = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap();
            String link = token != null ? token : params.getOrDefault("token", params.get("reset:token"));
            outcome = passwords.checkReset(link);
            if (outcome != Passwords.Outcome.RESET) {
                FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(400);
            } else if (token == null) {
                token = link;
            }
        }
        return outcome;
    }

    public void reset() {
        try {
            Passwords.Reset reset = passwords.reset(token, AccountBean.chars(password), AccountBean.chars(again),
                    KnownBrowserCookie.read(request));
            outcome = reset.outcome();
            if (outcome == Passwords.Outcome.RESET) {
                KnownBrowserCookie.write(request, (HttpServletResponse) FacesContext.getCurrentInstance()
                        .getExternalContext().getResponse(), reset.browserToken());
                Pages.notice("Your password is changed, and the account is signed out everywhere. Sign in with the"
                        + " new password.");
                Pages.redirect("/login");
            } else {
                FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(400);
            }
        } catch (TooManyAttemptsException e) {
            outcome = Passwords.Outcome.RESET;
            Pages.tooMany(e);
        } catch (ValidationException e) {
            outcome = Passwords.Outcome.RESET; // the link was good: the form is shown again, with the message
            Pages.fieldError("reset", e);
        } finally {
            password = null;
            again = null;
        }
    }

    public String getOutcome() {
        return checked().name().toLowerCase(java.util.Locale.ROOT);
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getPassword() {
        return null;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getAgain() {
        return null;
    }

    public void setAgain(String again) {
        this.again = again;
    }
}
