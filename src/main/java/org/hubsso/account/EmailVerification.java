package org.hubsso.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.PublicUrl;
import org.hubsso.hub.Throttle;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;
import org.hubsso.mail.Mailer;

/**
 * Proving an address by mail: a link with a single-use token (24 hours) is sent when an address is added (at
 * sign-up too) and on request ("Resend", throttled); followed while signed in as its account, it makes the address
 * the account's. A wrong, used, expired or other account's link changes nothing.
 */
@ApplicationScoped
@Transactional
public class EmailVerification {

    /** Where a verification link points. */
    public static final String PATH = "/settings/account/verify";
    /** Resent links per address: one a minute, five a day. */
    static final int RESEND_PER_MINUTE = 1;
    static final int RESEND_PER_DAY = 5;

    /** What following a link did. */
    public enum Outcome {
        VERIFIED, UNKNOWN, USED, EXPIRED, OTHER_ACCOUNT, TAKEN
    }

    /** The outcome and the address it concerns (when known). */
    public record Result(Outcome outcome, String address) {
    }

    @Inject
    AccountService accounts;

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

    /** Sends a verification link for an address of the account. */
    public void send(Account account, AccountEmail email) {
        String token = tokens.issue(EmailTokens.Purpose.VERIFY, account.getId(), email.getId());
        String link = urls.of(PATH + "?token=" + token);
        mailer.enqueue(email.getAddress(), "Verify your email address for the hub", "Hello " + account.getDisplayName()
                + ",\n\nplease confirm that " + email.getAddress() + " is your email address for the hub by opening"
                + " this link while signed in as " + account.getUsername() + ":\n\n" + link + "\n\nThe link works"
                + " once, for 24 hours. If you did not add this address, ignore this message: nothing changes.\n");
    }

    /** Adds an address to the account (unverified) and sends its link. */
    public AccountEmail add(Long accountId, String address) {
        AccountEmail email = accounts.addEmail(accountId, address);
        send(email.getAccount(), email);
        log.record(accountId, "email.added", email.getAddress() + " (a verification link was sent)");
        return email;
    }

    /**
     * Sends the link again, at most once a minute and five times a day per address.
     *
     * @throws TooManyAttemptsException beyond that
     */
    public void resend(Long accountId, Long emailId) {
        AccountEmail email = accounts.email(accountId, emailId)
                .orElseThrow(() -> new ValidationException("emails", "No such email on your account."));
        if (email.isVerified()) {
            throw new ValidationException("emails", email.getAddress() + " is already verified.");
        }
        String key = "verify-resend:" + email.getId();
        boolean minute = throttle.attempt(key + ":minute", RESEND_PER_MINUTE, Duration.ofMinutes(1));
        boolean day = throttle.attempt(key + ":day", RESEND_PER_DAY, Duration.ofDays(1));
        if (!minute || !day) {
            throw new TooManyAttemptsException("A link to " + email.getAddress() + " was sent " + (day
                    ? "less than a minute ago" : RESEND_PER_DAY + " times today") + "; check your mail (and its spam"
                    + " folder) or try again " + (day ? "in a minute." : "tomorrow."));
        }
        send(email.getAccount(), email);
    }

    /** Follows a link, signed in as {@code accountId}. Changes nothing unless the outcome is {@code VERIFIED}. */
    public Result verify(Long accountId, String token) {
        EmailTokens.Checked checked = tokens.check(EmailTokens.Purpose.VERIFY, token, accountId);
        if (checked.refusal() != null) {
            return new Result(Outcome.valueOf(checked.refusal().name()), null);
        }
        AccountEmail email = accounts.email(accountId, checked.valid().emailId()).orElse(null);
        if (email == null) {
            return new Result(Outcome.UNKNOWN, null); // the address was removed since
        }
        if (email.isVerified()) {
            return new Result(Outcome.USED, email.getAddress());
        }
        if (accounts.verifiedOwner(email.getAddress()).isPresent()) {
            return new Result(Outcome.TAKEN, email.getAddress());
        }
        if (!tokens.use(checked.valid())) {
            return new Result(Outcome.USED, email.getAddress());
        }
        List<AccountService.DroppedClaim> dropped = accounts.markVerified(accountId, email.getId());
        log.record(accountId, "email.verified", email.getAddress());
        for (AccountService.DroppedClaim claim : dropped) {
            log.record(claim.accountId(), "email.claim-dropped", "Your unverified claim to " + claim.address()
                    + " was removed: another account verified this address.");
        }
        return new Result(Outcome.VERIFIED, email.getAddress());
    }
}
