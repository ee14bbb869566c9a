package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hubsso.it.WebClient.Page;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person's own account over real HTTP, with real mail: the hub delivers to GreenMail (a real SMTP server on
 * loopback), the tests read each message, take its link and follow it as the person would. Email verification,
 * what an unverified address may and may not do, password reset and change, and the abuse of their links.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AccountIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.war();
    }

    @ArquillianResource
    URL base;

    @BeforeAll
    static void smtp() {
        TestMail.start();
    }

    @Test
    void aNewAccountVerifiesItsEmailFromTheMail() throws Exception {
        String name = "ada-" + HubFixtures.suffix();
        String email = name + "@example.test";
        WebClient ada = signUp(name, email);
        Page account = ada.get("/settings/account");
        assertTrue(account.contains(email) && account.contains(">not verified<"), account::body);
        // Unverified, the address signs in nobody.
        assertFalse(client().signIn(email, HubFixtures.PASSWORD).contains("Your organizations"));

        Message mail = TestMail.await(email, 1);
        assertEquals("Verify your email address for the hub", TestMail.subject(mail));
        String link = TestMail.link(mail, "/settings/account/verify");
        Page verified = ada.get(link);
        assertEquals(200, verified.status(), verified::body);
        assertTrue(verified.contains("data-outcome=\"verified\""), verified::body);
        assertTrue(ada.get("/settings/account").contains(">verified<"));
        assertTrue(client().signIn(email, HubFixtures.PASSWORD).contains("Your organizations"),
                "a verified address signs in");
        assertTrue(ada.get("/settings/account").contains("data-event=\"email.verified\""), "in the security log");

        // The same link again: used, nothing changes.
        Page again = ada.get(link);
        assertEquals(400, again.status());
        assertTrue(again.contains("data-outcome=\"used\""), again::body);
    }

    @Test
    void aLinkFollowedSignedOutAsksToSignInFirst() {
        String name = "bea-" + HubFixtures.suffix();
        String email = name + "@example.test";
        signUp(name, email);
        String link = TestMail.link(TestMail.await(email, 1), "/settings/account/verify");
        WebClient fresh = client();
        Page asked = fresh.get(link);
        assertEquals(302, asked.status());
        assertTrue(asked.location().contains("/login?returnTo="), asked.location());
        Page login = fresh.get(asked.location());
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("name=\"login:returnTo\"[^>]*value=\"([^\"]*)\"")
                .matcher(login.body());
        assertTrue(kept.find(), login::body);
        Page back = fresh.submit(login, "login", "submit", Map.of("login", name, "password", HubFixtures.PASSWORD,
                "returnTo", kept.group(1).replace("&amp;", "&")));
        Page done = fresh.follow(back);
        assertTrue(done.contains("data-outcome=\"verified\""), done::body);
    }

    @Test
    void wrongTamperedAndOtherAccountsLinksChangeNothing() {
        String s = HubFixtures.suffix();
        WebClient cid = signUp("cid-" + s, "cid-" + s + "@example.test");
        WebClient dot = signUp("dot-" + s, "dot-" + s + "@example.test");
        String cidsLink = TestMail.link(TestMail.await("cid-" + s + "@example.test", 1), "/settings/account/verify");

        String token = cidsLink.substring(cidsLink.indexOf("token=") + 6);
        String tampered = cidsLink.replace(token, (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1));
        Page bad = cid.get(tampered);
        assertEquals(400, bad.status());
        assertTrue(bad.contains("data-outcome=\"unknown\""), bad::body);
        assertTrue(cid.get(cidsLink + "x").contains("data-outcome=\"unknown\""), "a longer token is another token");

        Page others = dot.get(cidsLink);
        assertEquals(400, others.status());
        assertTrue(others.contains("data-outcome=\"other-account\""), others::body);
        assertTrue(dot.get("/settings/account").contains(">not verified<"), "dot's own address is untouched");
        // ... and the link still works for its own account.
        assertTrue(cid.get(cidsLink).contains("data-outcome=\"verified\""));
    }

    /**
     * An unverified address is a claim that blocks nobody: a squatter who adds someone else's address cannot sign in
     * with it, does not stop its owner from signing up with it, and loses the claim when the owner verifies it.
     */
    @Test
    void anUnverifiedAddressBlocksNobody() {
        String s = HubFixtures.suffix();
        String victimEmail = "vic-" + s + "@example.test";
        WebClient squatter = signUp("sq-" + s, "sq-" + s + "@example.test");
        Page added = squatter.submit(squatter.get("/settings/account"), "emailAdd", "submit",
                Map.of("email", victimEmail));
        assertEquals(302, added.status(), added::body);
        Page primary = squatter.get("/settings/account");
        assertFalse(primary.body().split("data-address=\"" + victimEmail + "\"")[1].split("</tr>")[0]
                .contains("Make primary"), "an unverified address cannot be made primary");

        WebClient victim = signUp("vic-" + s, victimEmail); // not blocked by the squatter's claim
        assertFalse(client().signIn(victimEmail, HubFixtures.PASSWORD).contains("Your organizations"));
        // Both got a link (one each); the victim's verifies the address for the victim.
        Message victims = TestMail.await(victimEmail, 2);
        String link = TestMail.link(victims, "/settings/account/verify");
        Page verified = victim.get(link);
        if (verified.contains("data-outcome=\"other-account\"")) {
            verified = victim.get(TestMail.link(TestMail.to(victimEmail).get(0), "/settings/account/verify"));
        }
        assertTrue(verified.contains("data-outcome=\"verified\""), verified::body);

        Page squattersAccount = squatter.get("/settings/account");
        assertFalse(squattersAccount.contains("data-address=\"" + victimEmail + "\""), "the claim was dropped");
        assertTrue(squattersAccount.contains("data-event=\"email.claim-dropped\""), squattersAccount::body);
        Page again = squatter.submit(squattersAccount, "emailAdd", "submit", Map.of("email", victimEmail));
        assertTrue(again.contains("This email is verified by another account."), again::body);
        WebClient late = client();
        Page signUpTaken = late.submit(late.get("/join"), "join", "submit", Map.of("username",
                "late-" + s, "displayName", "", "email", victimEmail.toUpperCase(), "password", HubFixtures.PASSWORD));
        assertTrue(signUpTaken.contains("already used"), "a verified address is its owner's");
    }

    @Test
    void resendingTheLinkIsThrottled() {
        String name = "eve-" + HubFixtures.suffix();
        String email = name + "@example.test";
        WebClient eve = signUp(name, email);
        TestMail.await(email, 1);
        Page first = resend(eve, email);
        assertEquals(302, first.status(), first::body);
        TestMail.await(email, 2);
        Page second = resend(eve, email);
        assertEquals(429, second.status(), second::body);
        assertTrue(second.contains("less than a minute ago"), second::body);
    }

    @Test
    void aForgottenPasswordIsResetByMailAndEndsEverySignIn() {
        String name = "fay-" + HubFixtures.suffix();
        String email = name + "@example.test";
        WebClient fay = signUp(name, email);
        fay.get(TestMail.link(TestMail.await(email, 1), "/settings/account/verify"));
        WebClient otherBrowser = client();
        assertTrue(otherBrowser.signIn(name, HubFixtures.PASSWORD).contains("Your organizations"));

        // The same answer for an address nobody has and for fay's.
        Page unknown = forgot(client(), "nobody-" + HubFixtures.suffix() + "@example.test");
        Page known = forgot(client(), email.toUpperCase());
        assertEquals(unknown.status(), known.status());
        assertEquals(302, known.status(), known::body);
        assertEquals(unknown.location(), known.location());
        String link = TestMail.link(TestMail.await(email, 2), "/login/reset");
        WebClient resetter = client();
        Page form = resetter.get(link);
        assertTrue(form.contains("data-outcome=\"reset\""), form::body);
        Page differ = resetter.submit(form, "reset", "submit", Map.of("password", "new-password-1234",
                "again", "new-password-5678", "token", tokenOf(link)));
        assertTrue(differ.contains("The two passwords differ."), differ::body);
        Page set = resetter.submit(resetter.get(link), "reset", "submit", Map.of("password", "new-password-1234",
                "again", "new-password-1234", "token", tokenOf(link)));
        assertEquals(302, set.status(), set::body);

        assertEquals(302, otherBrowser.get("/settings/account").status(), "the sign-in before the reset ended");
        assertEquals(302, fay.get("/settings/account").status(), "every sign-in ended");
        assertFalse(client().signIn(name, HubFixtures.PASSWORD).contains("Your organizations"), "the old password");
        WebClient now = client();
        assertTrue(now.signIn(email, "new-password-1234").contains("Your organizations"), "the new password");
        assertTrue(now.get("/settings/account").contains("data-event=\"password.reset\""));
        Page reused = client().get(link);
        assertEquals(400, reused.status());
        assertTrue(reused.contains("data-outcome=\"used\""), reused::body);
    }

    @Test
    void resetRequestsAreThrottledAlikeForEveryAddress() {
        String unknown = "nobody-" + HubFixtures.suffix() + "@example.test";
        String name = "gus-" + HubFixtures.suffix();
        String email = name + "@example.test";
        WebClient gus = signUp(name, email);
        gus.get(TestMail.link(TestMail.await(email, 1), "/settings/account/verify"));
        for (int i = 0; i < 3; i++) {
            assertEquals(302, forgot(client(), unknown).status());
            assertEquals(302, forgot(client(), email).status());
        }
        Page unknown4 = forgot(client(), unknown);
        Page known4 = forgot(client(), email);
        assertEquals(429, unknown4.status());
        assertEquals(429, known4.status());
        assertEquals(field(unknown4), field(known4), "throttled alike: no hint whether the address is anyone's");
        TestMail.await(email, 1 + 3);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertEquals(1 + 3, TestMail.to(email).size(), "three reset mails, no fourth");
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndEndsTheOtherSignIns() {
        String name = "hal-" + HubFixtures.suffix();
        WebClient hal = signUp(name, name + "@example.test");
        WebClient other = client();
        other.signIn(name, HubFixtures.PASSWORD);
        Page wrong = hal.submit(hal.get("/settings/account"), "password", "change", Map.of("current",
                "not-the-password", "password", "another-password-1", "again", "another-password-1"));
        assertTrue(wrong.contains("This is not your current password."), wrong::body);
        assertEquals(200, other.get("/settings/account").status());
        Page changed = hal.submit(hal.get("/settings/account"), "password", "change", Map.of("current",
                HubFixtures.PASSWORD, "password", "another-password-1", "again", "another-password-1"));
        assertEquals(302, changed.status(), changed::body);
        assertTrue(hal.follow(changed).contains("Your 1 other sign-in(s) ended."));
        assertEquals(302, other.get("/settings/account").status(), "the other sign-in ended");
        assertEquals(200, hal.get("/settings/account").status(), "this one stays");
        assertTrue(client().signIn(name, "another-password-1").contains("Your organizations"));
    }

    @Test
    void theEmailMismatchPageOffersToAddTheIdpsAddress() {
        String name = "ivy-" + HubFixtures.suffix();
        WebClient ivy = signUp(name, name + "@example.test");
        String idpEmail = "ivy.work-" + HubFixtures.suffix() + "@corp.example";
        Page page = ivy.get("/settings/account?add=" + URLEncoder.encode(idpEmail, StandardCharsets.UTF_8));
        assertTrue(page.contains("value=\"" + idpEmail + "\""), "the address is pre-filled: " + page.body());
        Page added = ivy.submit(page, "emailAdd", "submit", Map.of("email", idpEmail));
        assertEquals(302, added.status());
        assertNotEquals(null, TestMail.await(idpEmail, 1));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private WebClient client() {
        return new WebClient(URI.create(base.toString()));
    }

    private WebClient signUp(String username, String email) {
        WebClient web = client();
        Page done = web.submit(web.get("/join"), "join", "submit", Map.of("username", username, "displayName",
                username, "email", email, "password", HubFixtures.PASSWORD));
        assertEquals(302, done.status(), done::body);
        return web.username(username);
    }

    private static Page resend(WebClient web, String email) {
        Page account = web.get("/settings/account");
        String row = account.body().split("data-address=\"" + email + "\"")[1].split("</tr>")[0];
        java.util.regex.Matcher button = java.util.regex.Pattern.compile("name=\"(emails:[^\"]+:resend)\"")
                .matcher(row);
        assertTrue(button.find(), row);
        return web.post(account.uri().toString(), Map.of("emails", "emails", button.group(1), "resend",
                "jakarta.faces.ViewState", account.viewState()));
    }

    private static Page forgot(WebClient web, String email) {
        return web.submit(web.get("/login/forgot"), "forgot", "submit", Map.of("email", email));
    }

    private static String field(Page page) {
        return SamlFlow.between(page.body(), "id=\"messages\"", "</ul>");
    }

    private static String tokenOf(String link) {
        return link.substring(link.indexOf("token=") + 6);
    }
}
