package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.Names;
import org.hubsso.hub.PasswordHasher;
import org.hubsso.hub.PublicUrl;
import org.hubsso.hub.SignIns;
import org.hubsso.hub.Throttle;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;
import org.hubsso.mail.Mailer;

/**
 * Password reset by mail and password change. A reset request gets the same answer whether or not an account has
 * that verified address (no enumeration), and is throttled per address and per client; the link (1 hour, single use)
 * goes only to a verified address. A new password, by reset or change, ends every other sign-in of the account on
 * every node, and the other reset links.
 */
@ApplicationScoped
@Transactional
public class Passwords {

    /** Where a reset link points. */
    public static final String RESET_PATH = "/login/reset";
    static final int RESETS_PER_ADDRESS = 3;
    static final int RESETS_PER_CLIENT = 20;
    static final int CHANGES_PER_ACCOUNT = 5;
    static final Duration WINDOW = Duration.ofHours(1);

    /** What a reset link did. */
    public enum Outcome {
        RESET, UNKNOWN, USED, EXPIRED
    }

    @Inject
    AccountService accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    SignIns signIns;

    @Inject
    EmailTokens tokens;

    @Inject
    Mailer mailer;

    @Inject
    PublicUrl urls;

    @Inject
    Throttle throttle;

    @Inject
    SecurityLog log;

    @Inject
    KnownBrowsers browsers;

    /**
     * "Forgot password?": sends a reset link when an account has this verified address; says nothing either way.
     *
     * @param client the requesting client's address, for the per-client throttle
     * @throws TooManyAttemptsException over 3 requests an hour for the address or 20 for the client, whether or not
     *         the address is anyone's
     */
    public void requestReset(String address, String client) {
        String email = Names.requireEmail("email", address);
        boolean perAddress = throttle.attempt("reset:address:" + Names.emailKey(email), RESETS_PER_ADDRESS, WINDOW);
        boolean perClient = throttle.attempt("reset:client:" + client, RESETS_PER_CLIENT, WINDOW);
        if (!perAddress || !perClient) {
            throw new TooManyAttemptsException("Too many reset requests: try again in an hour.");
        }
        Optional<Account> owner = accounts.verifiedOwner(email);
        if (owner.isEmpty()) {
            return;
        }
        Account account = owner.get();
        AccountEmail verified = accounts.verifiedEmail(account.getId(), email).orElseThrow();
        String token = tokens.issue(EmailTokens.Purpose.RESET, account.getId(), verified.getId());
        mailer.enqueue(verified.getAddress(), "Reset your hub password", "Hello " + account.getDisplayName()
                + ",\n\nsomeone (we hope you) asked to reset the password of the hub account " + account.getUsername()
                + ". Choose a new password here:\n\n" + urls.of(RESET_PATH + "?token=" + token) + "\n\nThe link works"
                + " once, for one hour. Setting a new password signs the account out everywhere else. If you did not"
                + " ask for this, ignore this message: your password stays as it is.\n");
        log.record(account.getId(), "password.reset-requested", "a reset link was sent to " + verified.getAddress());
    }

    /** Whether a reset link can be used (to show its form, or why not); changes nothing. */
    public Outcome checkReset(String token) {
        EmailTokens.Checked checked = tokens.check(EmailTokens.Purpose.RESET, token, null);
        return checked.refusal() == null ? Outcome.RESET : Outcome.valueOf(checked.refusal().name());
    }

    /**
     * Sets a new password with a reset link; every sign-in of the account ends.
     *
     * @throws ValidationException for a password that is too short, too long, or not repeated the same
     */
    public Outcome reset(String token, char[] password, char[] again) {
        return reset(token, password, again, null).outcome();
    }

    /** What a reset did, and the {@link KnownBrowsers} token of the browser it was done in. */
    public record Reset(Outcome outcome, String browserToken) {
    }

    /**
     * As {@link #reset(String, char[], char[])}; the browser the link was opened in becomes one of the account's known
     * browsers (whoever can read the account's mail can sign in there, whatever the sign-in throttle counted).
     *
     * @param browserToken the browser's {@link KnownBrowsers#COOKIE}, or {@code null}
     */
    public Reset reset(String token, char[] password, char[] again, String browserToken) {
        EmailTokens.Checked checked = tokens.check(EmailTokens.Purpose.RESET, token, null);
        if (checked.refusal() != null) {
            return new Reset(Outcome.valueOf(checked.refusal().name()), null);
        }
        requireNew(password, again);
        if (!tokens.use(checked.valid())) {
            return new Reset(Outcome.USED, null);
        }
        Long accountId = checked.valid().accountId();
        Account account = accounts.find(accountId).orElseThrow();
        account.setPasswordHash(hasher.hash(password));
        int ended = signIns.closeAll(accountId, null);
        tokens.endAll(accountId, EmailTokens.Purpose.RESET);
        log.record(accountId, "password.reset", "with a link sent by mail; " + ended + " sign-in(s) ended");
        return new Reset(Outcome.RESET, browsers.remember(accountId, browserToken));
    }

    /**
     * Changes the password of the signed-in account (the current one is required); the account's other sign-ins
     * end, this one stays.
     *
     * @throws TooManyAttemptsException over 5 attempts in an hour
     */
    public int change(Long accountId, String signInId, char[] current, char[] password, char[] again) {
        if (!throttle.attempt("password-change:" + accountId, CHANGES_PER_ACCOUNT, WINDOW)) {
            throw new TooManyAttemptsException("Too many attempts to change the password: try again in an hour.");
        }
        Account account = accounts.find(accountId).orElseThrow();
        if (current == null || current.length == 0 || current.length > Names.PASSWORD_MAX
                || !hasher.verify(current, account.getPasswordHash())) {
            throw new ValidationException("current", "This is not your current password.");
        }
        requireNew(password, again);
        account.setPasswordHash(hasher.hash(password));
        int ended = signIns.closeAll(accountId, signInId);
        tokens.endAll(accountId, EmailTokens.Purpose.RESET);
        log.record(accountId, "password.changed", ended + " other sign-in(s) ended");
        return ended;
    }

    private static void requireNew(char[] password, char[] again) {
        Names.requirePassword("password", password);
        if (again == null || !Arrays.equals(password, again)) {
            throw new ValidationException("again", "The two passwords differ.");
        }
    }
}
