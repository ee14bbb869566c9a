package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hubsso.account.KnownBrowsers;
import org.hubsso.account.PasswordSignIn;
import org.hubsso.it.WebClient.Page;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sign-in throttle over real HTTP. The test server trusts loopback as its proxy (hub.proxy.trusted) and allows 20
 * failures per client address (hub.sign-in.client-failures), so each test speaks from addresses of its own
 * (X-Forwarded-For, IPv6 documentation networks, a /64 each, under a prefix drawn anew for each run) and no test's
 * failures count against another's, nor against a later run's on the same database.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SignInThrottleIT {

    private static final String SIGNED_IN = "Your organizations";
    private static final String WRONG = "Incorrect username, email or password.";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.war();
    }

    @ArquillianResource
    URL base;

    /** Sixteen random bits of this run's client networks. */
    private static final String RUN = Integer.toHexString(new java.security.SecureRandom().nextInt(0x10000));

    /** A client address of its own /64 (the throttle counts IPv6 clients by their /64), numbered within this run. */
    static String address(int n) {
        if (n < 0 || n > 0xffff) {
            throw new IllegalArgumentException("a hextet: " + n);
        }
        return "2001:db8:" + RUN + ":" + Integer.toHexString(n) + "::1";
    }

    @Test
    void wrongGuessesPauseAnAccountForNewBrowsersButNeverForItsOwnersBrowser() {
        String name = "thr-" + HubFixtures.suffix();
        signUp(name);
        WebClient owner = client(address(7));
        assertTrue(owner.signIn(name, HubFixtures.PASSWORD).contains(SIGNED_IN));
        assertNotNull(owner.cookie(KnownBrowsers.COOKIE), "a password sign-in makes the browser a known one");

        WebClient stranger = client(address(1005));
        for (int i = 0; i < 5; i++) {
            Page wrong = stranger.signIn(name, "wrong-guess-" + i);
            assertEquals(200, wrong.status());
            assertTrue(wrong.contains(WRONG), wrong::body);
        }
        Page refused = stranger.signIn(name, HubFixtures.PASSWORD);
        assertRefused(refused);
        assertFalse(refused.contains(SIGNED_IN), "the right password does not help past the limit");
        assertRefused(client(address(1006)).signIn(name, HubFixtures.PASSWORD));

        // The owner's browser, in a new session and even from the stranger's address, still signs in.
        WebClient ownersBrowser = client(address(1005));
        ownersBrowser.plantCookie(owner, KnownBrowsers.COOKIE);
        assertTrue(ownersBrowser.signIn(name, HubFixtures.PASSWORD).contains(SIGNED_IN));
        Page log = ownersBrowser.get("/settings/account");
        assertTrue(log.contains("data-event=\"sign-in.paused\""), "the owner's security log says so");
        assertTrue(log.contains("5 wrong passwords"), log::body);

        // A known browser of another account is nobody's here.
        WebClient otherAccountsBrowser = client(address(1007));
        String other = "thr2-" + HubFixtures.suffix();
        signUp(other);
        assertTrue(otherAccountsBrowser.signIn(other, HubFixtures.PASSWORD).contains(SIGNED_IN));
        WebClient borrowed = client(address(1007));
        borrowed.plantCookie(otherAccountsBrowser, KnownBrowsers.COOKIE);
        assertRefused(borrowed.signIn(name, HubFixtures.PASSWORD));
    }

    @Test
    void aNameThatIsNobodysIsAnsweredExactlyLikeAnAccount() {
        String account = "thr3-" + HubFixtures.suffix();
        signUp(account);
        String nobody = "nobody-" + HubFixtures.suffix();
        List<String> answers = new ArrayList<>();
        for (String name : List.of(account, nobody)) {
            WebClient guesser = client(address(name.equals(account) ? 1021 : 1022));
            for (int i = 0; i < 5; i++) {
                Page wrong = guesser.signIn(name, "wrong-guess-" + i);
                answers.add(wrong.status() + " " + message(wrong));
            }
            Page refused = guesser.signIn(name, "wrong-guess-again");
            assertRefused(refused);
            answers.add(refused.status() + " " + message(refused));
        }
        assertEquals(answers.subList(0, 6), answers.subList(6, 12), "the same answers for an account and for nobody");
    }

    @Test
    void anAddressIsPausedAfterItsFailuresAcrossNames() {
        String name = "thr4-" + HubFixtures.suffix();
        signUp(name);
        String address = address(1040);
        for (int i = 0; i < 20; i++) {
            Page wrong = client(address).signIn("spray-" + i + "-" + HubFixtures.suffix(), "wrong-guess");
            assertEquals(200, wrong.status(), "failure " + (i + 1) + " of the 20 allowed");
        }
        assertRefused(client(address).signIn(name, HubFixtures.PASSWORD));
        Page elsewhere = client(address(1041)).signIn(name, HubFixtures.PASSWORD);
        assertTrue(elsewhere.contains(SIGNED_IN), () -> "another address is not paused: " + elsewhere.status()
                + " " + message(elsewhere));
    }

    @Test
    void attemptsBeyondThePasswordHashersAreAnswered429AtOnce() throws Exception {
        int attempts = 48;
        List<WebClient> clients = new ArrayList<>();
        List<Page> forms = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            WebClient c = client(address(2000 + i + 1));
            clients.add(c);
            forms.add(c.get("/login"));
        }
        double refusedBefore = metric("hub_password_hashing_refused_total");
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Page>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                WebClient c = clients.get(i);
                Page form = forms.get(i);
                String login = "flood-" + i + "-" + HubFixtures.suffix();
                answers.add(pool.submit(() -> {
                    start.await();
                    return c.submit(form, "login", "submit", Map.of("login", login, "password", "wrong-guess"));
                }));
            }
            start.countDown();
            Page home = client(address(2200)).get("/");
            assertEquals(200, home.status(), "pages are served while the hashers are busy");
            int busy = 0;
            int checked = 0;
            for (Future<Page> answer : answers) {
                Page page = answer.get();
                if (page.status() == 429) {
                    busy++;
                    assertEquals("5", page.header("Retry-After"));
                    assertTrue(page.contains("busy checking passwords"), page::body);
                } else {
                    assertEquals(200, page.status(), page::body);
                    assertTrue(page.contains(WRONG), page::body);
                    checked++;
                }
            }
            assertTrue(busy > 0, "some attempts found every hasher busy and the queue full: " + checked
                    + " checked");
            assertTrue(checked > 0, "the others were checked");
            assertTrue(metric("hub_password_hashing_refused_total") >= refusedBefore + busy,
                    "refusals are counted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertRefused(Page page) {
        assertEquals(429, page.status(), page::body);
        assertTrue(page.contains(PasswordSignIn.REFUSED), page::body);
        long retry = Long.parseLong(page.header("Retry-After"));
        assertTrue(retry > 0 && retry <= 15 * 60 * 16, "Retry-After " + retry);
    }

    private static String message(Page page) {
        Matcher m = Pattern.compile("<li class=\"[^\"]*error[^\"]*\">([^<]*)</li>").matcher(page.body());
        return m.find() ? m.group(1) : page.body().contains(WRONG) ? WRONG : "?";
    }

    private double metric(String name) {
        String text = new WebClient(URI.create(base.toString())).get("/metrics").body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private WebClient client(String address) {
        return new WebClient(URI.create(base.toString())).from(address);
    }

    private void signUp(String username) {
        WebClient web = client(address(1));
        Page done = web.submit(web.get("/join"), "join", "submit", Map.of("username", username, "displayName",
                username, "email", username + "@example.test", "password", HubFixtures.PASSWORD));
        assertEquals(302, done.status(), done::body);
    }
}
