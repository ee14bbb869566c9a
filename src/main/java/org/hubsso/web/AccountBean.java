package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.hubsso.access.Viewer;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.ValidationException;

/** {@code /settings/account}: the signed-in account's profile and emails. */
@Named("account")
@RequestScoped
public class AccountBean {

    @Inject
    AccountService accounts;

    @Inject
    Viewer viewer;

    private Account account;
    private List<AccountEmail> emails;
    private String newEmail;

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

    public void addEmail() {
        try {
            AccountEmail e = accounts.addEmail(viewer.getAccountId(), newEmail);
            Pages.notice(e.getAddress() + " added (not verified).");
            Pages.redirect("/settings/account");
        } catch (ValidationException e) {
            Pages.fieldError("emailAdd", e);
        }
    }

    public void makePrimary(Long emailId) {
        try {
            accounts.makePrimary(viewer.getAccountId(), emailId);
            Pages.notice("Primary email changed.");
            Pages.redirect("/settings/account");
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public void remove(Long emailId) {
        try {
            accounts.removeEmail(viewer.getAccountId(), emailId);
            Pages.notice("Email removed.");
            Pages.redirect("/settings/account");
        } catch (ValidationException e) {
            Pages.error(e.getMessage());
        }
    }

    public String getNewEmail() {
        return newEmail;
    }

    public void setNewEmail(String newEmail) {
        this.newEmail = newEmail;
    }
}
