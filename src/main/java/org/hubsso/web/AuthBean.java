package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.hubsso.access.Viewer;
import org.hubsso.account.PasswordSignIn;
import org.hubsso.account.Registration;
import org.hubsso.hub.Account;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.Names;
import org.hubsso.hub.ValidationException;

/** Sign in, sign up and sign out. */
@Named("auth")
@RequestScoped
public class AuthBean {

    @Inject
    PasswordSignIn passwordSignIn;

    @Inject
    ClientAddress clientAddress;

    @Inject
    Registration registration;

    @Inject
    Viewer viewer;

    private String login;
    private String password;
    private String username;
    private String displayName;
    private String email;
    private String returnTo;

    public void signIn() {
        HttpServletRequest request = request();
        PasswordSignIn.Result result;
        try {
            result = passwordSignIn.signIn(login, password == null ? null : password.toCharArray(),
                    clientAddress.of(request), KnownBrowserCookie.read(request));
        } catch (TooManyAttemptsException e) {
            Pages.tooMany(e);
            FacesContext.getCurrentInstance().validationFailed();
            return;
        } finally {
            password = null;
        }
        if (!result.signedIn()) {
            Pages.error("Incorrect username, email or password.");
            FacesContext.getCurrentInstance().validationFailed();
            return;
        }
        KnownBrowserCookie.write(request, response(), result.browserToken());
        startSession(result.account());
        Pages.redirect(ReturnTo.sanitize(returnTo, "/"));
    }

    public void signUp() {
        try {
            Account account = registration.signUp(username, displayName, email,
                    password == null ? null : password.toCharArray());
            startSession(account);
            Pages.notice("Welcome, " + account.getDisplayName() + ". Your account is ready. We sent a link to "
                    + email.strip() + ": open it to verify the address.");
            Pages.redirect(ReturnTo.sanitize(returnTo, "/"));
        } catch (ValidationException e) {
            Pages.fieldError("join", e);
        }
    }

    public void signOut() {
        viewer.signOut();
        HttpSession session = request().getSession(false);
        if (session != null) {
            session.invalidate();
        }
        Pages.redirect("/");
    }

    /** New session id at every sign-in, so a planted session id is worthless. */
    private void startSession(Account account) {
        HttpServletRequest request = request();
        request.getSession(true);
        request.changeSessionId();
        viewer.signIn(account.getId(), account.getUsername());
    }

    private static HttpServletResponse response() {
        return (HttpServletResponse) FacesContext.getCurrentInstance().getExternalContext().getResponse();
    }

    private static HttpServletRequest request() {
        ExternalContext ext = FacesContext.getCurrentInstance().getExternalContext();
        return (HttpServletRequest) ext.getRequest();
    }

    public int getNameMax() {
        return Names.NAME_MAX;
    }

    public String getLogin() {
        return login;
    }

    public void setLogin(String login) {
        this.login = login;
    }

    public String getPassword() {
        return null;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getReturnTo() {
        return returnTo;
    }

    public void setReturnTo(String returnTo) {
        this.returnTo = ReturnTo.sanitize(returnTo, null);
    }
}
