package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.access.Viewer;
import org.hubsso.account.EmailVerification;
import org.hubsso.account.Passwords;
import org.hubsso.account.SecurityEvent;
import org.hubsso.account.SecurityLog;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.Paths;
import org.hubsso.hub.ValidationException;

/**
 * {@code /settings/account}: the signed-in account's emails (add with a verification link, resend it, remove, choose
 * a verified primary), its password, and its security log. {@code ?add=} pre-fills the address to add.
 */
@Named("account")
@RequestScoped
public class AccountBean {

    @Inject
    AccountService accounts;

    @Inject
    EmailVerification verification;

    @Inject
    Passwords passwords;

    @Inject
    SecurityLog log;

    @Inject
    Viewer viewer;

    private Account account;
    private List<AccountEmail> emails;
    private List<SecurityEvent> events;
    private String newEmail;
    private String currentPassword;
    private String password;
    private String again;

    public Account getAccount() {
        if (account == null) {
            account = accounts.find(viewer.getAccountId()).orElseThrow();
        }
        return account;
    }

    public List<AccountEmail> getEmails() {
        if (emails == null) {
            emails = accounts.emails(viewer.getAccountId());
        }
        return emails;
    }

    public List<SecurityEvent> getEvents() {
        if (events == null) {
            events = log.recent(viewer.getAccountId(), SecurityLog.SHOWN);
        }
        return events;
    }

    public void addEmail() {
        try {
            AccountEmail e = verification.add(viewer.getAccountId(), newEmail);
            Pages.notice(e.getAddress() + " added. We sent a link to it: open it while signed in to verify the"
                    + " address.");
            Pages.redirect(Paths.ACCOUNT);
        } catch (ValidationException e) {
            Pages.fieldError("emailAdd", e);
        }
    }

    public void resend(Long emailId) {
        try {
            verification.resend(viewer.getAccountId(), emailId);
            Pages.notice("We sent the verification link again.");
            Pages.redirect(Paths.ACCOUNT);
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        } catch (TooManyAttemptsException e) {
            Pages.tooMany(e);
        }
    }

    public void makePrimary(Long emailId) {
        try {
            accounts.makePrimary(viewer.getAccountId(), emailId);
            Pages.notice("Primary email changed.");
            Pages.redirect(Paths.ACCOUNT);
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public void remove(Long emailId) {
        try {
            accounts.removeEmail(viewer.getAccountId(), emailId);
            Pages.notice("Email removed.");
            Pages.redirect(Paths.ACCOUNT);
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public void changePassword() {
        try {
            int ended = passwords.change(viewer.getAccountId(), viewer.getSignInId(), chars(currentPassword),
                    chars(password), chars(again));
            Pages.notice("Password changed. " + (ended == 0 ? "You were signed in nowhere else."
                    : "Your " + ended + " other sign-in(s) ended."));
            Pages.redirect(Paths.ACCOUNT);
        } catch (ValidationException e) {
            Pages.fieldError("password", e);
        } catch (TooManyAttemptsException e) {
            Pages.tooMany(e);
        } finally {
            currentPassword = null;
            password = null;
            again = null;
        }
    }

    /** The address {@code ?add=} proposes (a same-page link from the SSO page), when the form has none yet. */
    public String getNewEmail() {
        if (newEmail == null) {
            String proposed = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap()
                    .get("add");
            return proposed == null || proposed.length() > 254 ? null : proposed.strip();
        }
        return newEmail;
    }

    public void setNewEmail(String newEmail) {
        this.newEmail = newEmail;
    }

    public String getCurrentPassword() {
        return null;
    }

    public void setCurrentPassword(String currentPassword) {
        this.currentPassword = currentPassword;
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

    static char[] chars(String value) {
        return value == null ? null : value.toCharArray();
    }
}
