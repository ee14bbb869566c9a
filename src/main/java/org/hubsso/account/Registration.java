package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;

/** Sign-up: the account, its first address (unverified) and the link that verifies it, in one transaction. */
@ApplicationScoped
@Transactional
public class Registration {

    @Inject
    AccountService accounts;

    @Inject
    EmailVerification verification;

    @Inject
    SecurityLog log;

    public Account signUp(String username, String displayName, String email, char[] password) {
        Account account = accounts.signUp(username, displayName, email, password);
        accounts.emails(account.getId()).forEach(e -> verification.send(account, e));
        log.record(account.getId(), "account.created", "a verification link was sent to " + email.strip());
        return account;
    }
}
