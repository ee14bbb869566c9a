package org.hubsso.account;

import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.HubMeters;
import org.hubsso.hub.Names;
import org.hubsso.hub.PasswordHasher;
import org.hubsso.hub.Throttle;
import org.hubsso.hub.TooManyAttemptsException;

/**
 * Sign-in by username or verified email and password, throttled so that guessing is slow everywhere and a stranger's
 * guesses cannot keep a member out.
 *
 * <p>Failures are counted cluster-wide ({@link Throttle}) under three keys, each with a short window
 * ({@code hub.sign-in.window}, 15 minutes) and a long one of 16 windows that allows four times as many:
 * <ul>
 * <li>the <b>account</b> named (or, for a name that is nobody's, the name itself, so the answers are the same):
 * {@code hub.sign-in.account-failures} (5) from browsers it never signed in with;</li>
 * <li>a <b>known browser</b> of the account ({@link KnownBrowsers}): {@code hub.sign-in.browser-failures} (10) of its
 * own. A browser the owner signed in with before is never paused by failures elsewhere;</li>
 * <li>the <b>client address</b> (an IPv6 address by its /64): {@code hub.sign-in.client-failures} (100) from browsers
 * unknown to the account they try.</li>
 * </ul>
 * Past a limit an attempt is refused before any password is checked ({@link TooManyAttemptsException}, 429 with the
 * time left) with one message whatever the account, so refusals tell nothing about which accounts exist. The first
 * time an account's limit is reached its owner's security log says so; every refusal is counted in
 * {@code hub_sign_in_refused_total{limit}}. Password checks run on the hasher's bounded pool.
 */
@ApplicationScoped
public class PasswordSignIn {

    private static final Logger LOG = Logger.getLogger(PasswordSignIn.class.getName());

    /** The one message of every refusal by the throttle. */
    public static final String REFUSED = "Too many failed sign-ins for this account or from your network. Wait a"
            + " while, or reset your password; a browser you signed in with before can still sign in.";
    /** The long window is this many short ones, and allows {@link #LONG_FACTOR} times as many failures. */
    static final int LONG_WINDOWS = 16;
    static final int LONG_FACTOR = 4;

    /** Which count refused an attempt. */
    public enum Limit {
        ACCOUNT, BROWSER, CLIENT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The outcome of an attempt: the account when the password was right, and the browser token to set. */
    public record Result(Account account, String browserToken) {

        public boolean signedIn() {
            return account != null;
        }
    }

    @Inject
    AccountService accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    KnownBrowsers browsers;

    @Inject
    Throttle throttle;

    @Inject
    SecurityLog log;

    @Inject
    HubClock clock;

    @Inject
    HubMeters meters;

    @Inject
    @ConfigProperty(name = "hub.sign-in.window", defaultValue = "PT15M")
    Duration window;

    @Inject
    @ConfigProperty(name = "hub.sign-in.account-failures", defaultValue = "5")
    int accountFailures;

    @Inject
    @ConfigProperty(name = "hub.sign-in.browser-failures", defaultValue = "10")
    int browserFailures;

    @Inject
    @ConfigProperty(name = "hub.sign-in.client-failures", defaultValue = "100")
    int clientFailures;

    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);
    private Counter failed;

    @PostConstruct
    void meters() {
        for (Limit limit : Limit.values()) {
            refused.put(limit, Counter.builder("hub_sign_in_refused").description("Password sign-ins refused by"
                    + " the throttle, by the limit that refused them").tag("limit", limit.tag())
                    .register(meters.registry()));
        }
        failed = Counter.builder("hub_sign_in_failed").description("Password sign-ins with a wrong name or password")
                .register(meters.registry());
    }

    /**
     * One sign-in attempt.
     *
     * @param client the client's address as {@code ClientAddress} gives it (an IPv6 address by its /64)
     * @param browserToken the browser's {@link KnownBrowsers#COOKIE}, or {@code null}
     * @throws TooManyAttemptsException when a limit refuses the attempt, or every password hasher is busy
     */
    public Result signIn(String login, char[] password, String client, String browserToken) {
        Optional<Account> named = accounts.findByLogin(login);
        Long accountId = named.map(Account::getId).orElse(null);
        boolean known = browsers.isKnown(browserToken, accountId);
        List<Count> counts = counts(login, accountId, known ? browserToken : null, client);
        for (Count count : counts) {
            if (throttle.attempts(count.key, count.window) >= count.max) {
                refused.get(count.limit).increment();
                Instant end = throttle.windowEnd(count.key, count.window);
                throw new TooManyAttemptsException(REFUSED, Duration.between(clock.now(), end));
            }
        }
        boolean right = password != null && password.length <= Names.PASSWORD_MAX && named.isPresent()
                ? hasher.verify(password, named.get().getPasswordHash())
                : hasher.verifyNothing(password == null ? new char[0] : password);
        if (right) {
            return new Result(named.get(), browsers.remember(accountId, browserToken));
        }
        failed.increment();
        for (Count count : counts) {
            if (throttle.count(count.key, count.window) == count.max && count.isShort) {
                paused(count, accountId, client);
            }
        }
        return new Result(null, null);
    }

    /** The counts an attempt adds to: short and long window of the account (or known browser), and of the client. */
    private List<Count> counts(String login, Long accountId, String knownBrowser, String client) {
        List<Count> counts = new ArrayList<>(4);
        if (knownBrowser != null) {
            String key = "sign-in:browser:" + KnownBrowsers.keyOf(knownBrowser);
            both(counts, Limit.BROWSER, key, browserFailures);
        } else {
            String key = "sign-in:account:" + (accountId != null ? "id:" + accountId : "name:" + nameKey(login));
            both(counts, Limit.ACCOUNT, key, accountFailures);
            both(counts, Limit.CLIENT, "sign-in:client:" + client, clientFailures);
        }
        return counts;
    }

    private void both(List<Count> counts, Limit limit, String key, int max) {
        counts.add(new Count(limit, key, max, window, true));
        counts.add(new Count(limit, key + ":long", max * LONG_FACTOR, window.multipliedBy(LONG_WINDOWS), false));
    }

    private void paused(Count count, Long accountId, String client) {
        if (count.limit == Limit.ACCOUNT && accountId != null) {
            log.record(accountId, "sign-in.paused", count.max + " wrong passwords in " + minutes(count.window)
                    + " from browsers this account never signed in with: sign-in from those paused for up to "
                    + minutes(count.window) + "; browsers you signed in with before are not affected");
        } else if (count.limit == Limit.CLIENT) {
            LOG.warning(() -> "Password sign-ins from " + client + " paused: " + count.max + " failures in "
                    + minutes(count.window));
        }
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " minutes";
    }

    /** A name that is nobody's account, by its SHA-256 (it may be a password typed in the wrong field). */
    private static String nameKey(String login) {
        String name = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        return EmailTokens.hash(name).substring(0, 32);
    }

    private record Count(Limit limit, String key, int max, Duration window, boolean isShort) {
    }
}
