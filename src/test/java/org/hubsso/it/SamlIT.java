package org.hubsso.it;

import static org.hubsso.it.SamlFlow.absolute;
import static org.hubsso.it.SamlFlow.between;
import static org.hubsso.it.SamlFlow.continueToIdp;
import static org.hubsso.it.SamlFlow.postToAcs;
import static org.hubsso.it.SamlFlow.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import org.hubsso.it.SamlFlow.Sent;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.saml.SignatureAlgorithm;

/**
 * Per-organization SAML SSO over real HTTP against the deployed WAR, with the in-test IdP answering the
 * AuthnRequests the hub sends: configuration, "Update and Test", the enable guard, SP-initiated login back to
 * the page, joining, and answers that must change nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SamlIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")))
                .addClass(TestSupportServlet.class);
    }

    @ArquillianResource
    URL base;

    final TestIdp idp = new TestIdp("http://idp.localhost/realms/it");

    @Test
    void adminTestsEnablesAndMembersSignInThroughTheIdp() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubIT.ADMIN, HubIT.ADMIN_PASSWORD);
        String org = HubIT.newOrg(admin, "sso");
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org,
                "kind", "model", "name", "secret", "visibility", "private", "readme", "classified")).status());

        // Enabling is refused before anything is configured.
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        assertEquals(200, settings.status());
        assertTrue(settings.contains("Organization ID"));
        Page refused = admin.submit(settings, "state", "enable", Map.of());
        assertTrue(refused.contains("Configure single sign-on first."), refused.body());

        // SP metadata names this organization's entity ID and ACS.
        String entityId = between(settings.body(), "id=\"sp-entity-id\">", "<");
        String acs = between(settings.body(), "id=\"acs-url\">", "<");
        Page metadata = client().get(entityId);
        assertEquals(200, metadata.status());
        assertTrue(metadata.contains("entityID=\"" + entityId + "\""), metadata.body());
        assertTrue(metadata.contains("Location=\"" + acs + "\""));

        // Update and Test: a real round-trip through the IdP, in test mode.
        Page save = updateAndTest(admin, org, idp.entityId);
        assertEquals(302, save.status(), save::body);
        Page tested = roundTrip(admin, continueToIdp(admin, save), "admin@hub.localhost");
        assertTrue(tested.path().endsWith("/settings/sso?tested=1"), tested.path());
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
        assertTrue(tested.contains("admin@hub.localhost"));
        assertTrue(tested.contains("hub-admins"), "attributes shown as JSON");
        assertFalse(tested.contains("id=\"sso-state\">enabled"), "a test enables nothing");

        // Enable, then the admin passes the IdP at once and lands back on the settings.
        Page enabled = admin.submit(tested, "state", "enable", Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        Page back = roundTrip(admin, continueToIdp(admin, enabled), "admin@hub.localhost");
        assertEquals(200, back.status());
        assertTrue(back.contains("id=\"sso-state\">enabled"));

        // A member without an SSO session gets SSO_REQUIRED, even for the organization page.
        WebClient alice = member("alice-" + s);
        HubIT.addMember(admin, org, alice.username(), "read");
        Page required = alice.get("/" + org + "/secret");
        assertEquals(403, required.status());
        assertEquals("sso-required", required.header("X-Hub-Access"));
        assertTrue(required.contains("/organizations/" + org + "/sso?returnTo=%2F" + org + "%2Fsecret"),
                "the page links to SSO and back here");
        Page start = alice.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret");
        Page repo = roundTrip(alice, start, alice.username() + "@example.test");
        assertEquals(200, repo.status(), repo::body);
        assertTrue(repo.path().endsWith("/" + org + "/secret"), "back where she was: " + repo.path());
        assertTrue(repo.contains("classified"));

        // Someone not signed in to the hub signs in first, then continues the same SSO flow.
        Page anonymous = client().get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret");
        assertEquals(302, anonymous.status());
        assertTrue(anonymous.location().contains("/login?returnTo=%2Forganizations%2F" + org
                + "%2Fsso%3FreturnTo%3D%2F" + org + "%2Fsecret"), anonymous.location());

        // A non-member with a verified email joins with the default role.
        WebClient bob = member("bob-" + s);
        Page joined = roundTrip(bob, bob.get("/organizations/" + org + "/sso"), bob.username() + "@example.test");
        assertEquals(200, joined.status());
        assertTrue(joined.contains("id=\"my-role\">read<"), joined.body());

        // An IdP identity that is not a verified email of the account: explained, nothing created.
        WebClient carol = member("carol-" + s);
        Page mismatch = roundTrip(carol, carol.get("/organizations/" + org + "/sso"), "someone-else@example.test");
        assertEquals(403, mismatch.status());
        assertEquals("email-mismatch", mismatch.header("X-Hub-Sso-Failure"));
        assertTrue(mismatch.contains("someone-else@example.test"));
        assertFalse(carol.get("/" + org).contains("id=\"my-role\""), "carol did not join");
    }

    @Test
    void answersThatFailAChangeNothing() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubIT.ADMIN, HubIT.ADMIN_PASSWORD);
        String org = HubIT.newOrg(admin, "sso-bad");
        // A test that fails names the failed check and enables nothing.
        Page wrong = updateAndTest(admin, org, "http://some-other-idp.test");
        Page failedTest = roundTrip(admin, continueToIdp(admin, wrong), "admin@hub.localhost");
        assertTrue(failedTest.contains("id=\"test-outcome\">failed"), failedTest.body());
        assertTrue(failedTest.contains("response-issuer-mismatch"));
        Page notYet = admin.submit(failedTest, "state", "enable", Map.of());
        assertTrue(notYet.contains("before enabling single sign-on"), notYet.body());

        Page save = updateAndTest(admin, org, idp.entityId);
        roundTrip(admin, continueToIdp(admin, save), "admin@hub.localhost");
        admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of());

        WebClient dave = member("dave-" + s);
        Sent sent = sent(dave.get("/organizations/" + org + "/sso"));
        TestIdp forger = new TestIdp(idp.entityId);
        String forged = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), dave.username() + "@example.test")
                .signedBy(forger).encoded();
        Page rejected = dave.follow(postToAcs(sent, forged));
        assertEquals(400, rejected.status());
        assertEquals("signature-invalid", rejected.header("X-Hub-Sso-Failure"));
        assertFalse(rejected.contains("Exception"));
        assertFalse(dave.get("/" + org).contains("id=\"my-role\""), "no membership from a forged answer");

        // A valid answer posted twice: the second is refused, nothing more happens.
        Sent again = sent(dave.get("/organizations/" + org + "/sso"));
        String valid = idp.answer(again.id(), again.spEntityId(), again.acs(), dave.username() + "@example.test")
                .encoded();
        Page first = dave.follow(postToAcs(again, valid));
        assertEquals(200, first.status(), first::body);
        Page replayed = postToAcs(again, valid);
        assertEquals(400, replayed.status());
        assertEquals("in-response-to-unknown", replayed.header("X-Hub-Sso-Failure"));

        // An unsolicited answer (no pending request) is refused.
        String unsolicited = idp.answer("_never-sent", again.spEntityId(), again.acs(), "x@example.test").encoded();
        assertEquals("in-response-to-unknown", postToAcs(again, unsolicited).header("X-Hub-Sso-Failure"));

        // Completing someone else's sign-in from another browser session is refused.
        WebClient eve = member("eve-" + s);
        Sent daves = sent(dave.get("/organizations/" + org + "/sso"));
        Page answered = postToAcs(daves, idp.answer(daves.id(), daves.spEntityId(), daves.acs(),
                dave.username() + "@example.test").encoded());
        assertEquals(303, answered.status());
        Page stolen = eve.get(absolute(daves, answered.location()));
        assertEquals(400, stolen.status());
        assertEquals("session-mismatch", stolen.header("X-Hub-Sso-Failure"));
        assertFalse(eve.get("/" + org).contains("id=\"my-role\""), "eve did not join");

        // SHA-1 is refused. An admin may allow it for a legacy IdP: the page warns, and, this server running with
        // the JDK's default XML signature policy, says what the operator must change; the answer is still refused.
        WebClient frank = member("frank-" + s);
        Sent weak = sent(frank.get("/organizations/" + org + "/sso"));
        String sha1 = idp.answer(weak.id(), weak.spEntityId(), weak.acs(), frank.username() + "@example.test")
                .algorithm(SignatureAlgorithm.RSA_SHA1).encoded();
        assertEquals("signature-algorithm", frank.follow(postToAcs(weak, sha1)).header("X-Hub-Sso-Failure"));
        roundTrip(admin, admin.get("/organizations/" + org + "/sso"), "admin@hub.localhost");
        Page plain = admin.get("/organizations/" + org + "/settings/sso");
        assertFalse(plain.contains("id=\"sha1-warning\""));
        Map<String, String> legacy = new java.util.HashMap<>(samlFields(idp.entityId));
        legacy.put("allowSha1", "on");
        admin.submit(plain, "saml", "test", legacy);
        Page warned = admin.get("/organizations/" + org + "/settings/sso");
        assertTrue(warned.contains("id=\"sha1-warning\""), warned.body());
        assertTrue(warned.contains("xmldsig-legacy-sha1.security"), "the server's JVM policy still refuses SHA-1");
        Sent weakAgain = sent(frank.get("/organizations/" + org + "/sso"));
        String sha1Again = idp.answer(weakAgain.id(), weakAgain.spEntityId(), weakAgain.acs(),
                frank.username() + "@example.test").algorithm(SignatureAlgorithm.RSA_SHA1).encoded();
        Page stillRefused = frank.follow(postToAcs(weakAgain, sha1Again));
        assertEquals("signature-algorithm", stillRefused.header("X-Hub-Sso-Failure"));
        assertFalse(frank.get("/" + org).contains("id=\"my-role\""), "frank did not join");
    }

    // ---- the browser's trip through the IdP (SamlFlow) -----------------------------------------------------

    private Page roundTrip(WebClient browser, Page redirectToIdp, String email) {
        return SamlFlow.roundTrip(browser, idp, redirectToIdp, email);
    }

    private Page updateAndTest(WebClient admin, String org, String idpIssuer) {
        return SamlFlow.updateAndTest(admin, org, idp, idpIssuer);
    }

    private Map<String, String> samlFields(String idpIssuer) {
        return SamlFlow.samlFields(idp, idpIssuer);
    }

    private WebClient member(String username) {
        return HubIT.verifiedMember(URI.create(base.toString()), username);
    }

    private WebClient client() {
        return new WebClient(URI.create(base.toString()));
    }
}
