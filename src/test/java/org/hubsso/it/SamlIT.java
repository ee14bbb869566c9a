package org.hubsso.it;

import static org.hubsso.it.SamlFlow.absolute;
import static org.hubsso.it.SamlFlow.between;
import static org.hubsso.it.SamlFlow.continueToIdp;
import static org.hubsso.it.SamlFlow.postToAcs;
import static org.hubsso.it.SamlFlow.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hubsso.it.SamlFlow.Sent;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
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
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    final TestIdp idp = new TestIdp("http://idp.localhost/realms/it");

    @Test
    void adminTestsEnablesAndMembersSignInThroughTheIdp() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "sso");
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
        HubFixtures.addMember(admin, org, alice.username(), "read");
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
        assertTrue(mismatch.contains("/settings/account?add=someone-else%40example.test"),
                "the page offers to add and verify the IdP's address: " + mismatch.body());
        assertFalse(carol.get("/" + org).contains("id=\"my-role\""), "carol did not join");
    }

    @Test
    void answersThatFailAChangeNothing() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "sso-bad");
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

        // The audit trail: the failed test is one row (a test, by the admin, not also a login failure); dave's
        // failed sign-in names dave, who was signed in, as the actor; settings changes are about no member.
        roundTrip(admin, admin.get("/organizations/" + org + "/sso"), "admin@hub.localhost");
        List<JsonObject> tests = HubFixtures.auditOf(admin, org, "event=sso.test");
        assertEquals(1, tests.stream().filter(r -> "response-issuer-mismatch".equals(r.getString("reason", null)))
                .count(), tests::toString);
        assertEquals("admin", tests.get(tests.size() - 1).getString("actor"));
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login").stream()
                .noneMatch(r -> "response-issuer-mismatch".equals(r.getString("reason", null))));
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login").stream().anyMatch(r -> "signature-invalid".equals(
                r.getString("reason", null)) && dave.username().equals(r.getString("actor", null))),
                "the member who failed is the actor");
        List<JsonObject> changes = HubFixtures.auditOf(admin, org, "event=sso.settings");
        assertFalse(changes.isEmpty());
        assertTrue(changes.stream().allMatch(r -> r.isNull("member")), changes::toString);

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
        // SSO is enforced: the change is a draft, tried through the IdP, then applied.
        Page legacyTested = roundTrip(admin, continueToIdp(admin, admin.submit(plain, "saml", "test", legacy)),
                "admin@hub.localhost");
        assertTrue(legacyTested.contains("id=\"test-outcome\">passed"), legacyTested::body);
        assertEquals(302, admin.submit(legacyTested, "draft", "apply", Map.of()).status());
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

    @Test
    void roleMappingSetsRolesAtEveryLoginAndCannotLockTheAdminOut() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "roles");
        Page save = updateAndTest(admin, org, idp.entityId);
        roundTrip(admin, continueToIdp(admin, save), "admin@hub.localhost"); // groups: hub-admins, ml-team
        Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of());
        roundTrip(admin, continueToIdp(admin, enabled), "admin@hub.localhost");
        WebClient alice = member("alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");

        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        assertTrue(settings.contains("hub-admins"), "the simulator is prefilled with the admin's last tested profile");
        Page badPath = saveRoles(admin, org, true, "$['groups", "hub-admins = admin");
        assertTrue(badPath.contains("Not a valid JSON path"), badPath.body());
        Page noAdmin = saveRoles(admin, org, true, "groups", "ml-team = write");
        assertTrue(noAdmin.contains("Map at least one IdP value to admin"), noAdmin.body());
        Page lockout = saveRoles(admin, org, true, "groups", "hub-admins = write\nml-team = write\nboss = admin");
        assertTrue(lockout.contains("would lock you out"), lockout.body());
        assertTrue(lockout.contains("gives you the role write"), lockout.body());
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("id=\"mapping-state\">off"));

        // The simulator shows the value at the path and the role, and saves nothing.
        Page simulated = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "simulate",
                Map.of("rolePath", "resource_access.hub.roles", "roleTable", "writer = write\nboss = admin",
                        "profile", "{\"resource_access\":{\"hub\":{\"roles\":[\"reader\",\"writer\"]}}}"));
        assertTrue(simulated.contains("id=\"sim-role\">write<"), simulated.body());
        assertTrue(simulated.contains("[reader, writer]"), simulated.body());
        Page noMatch = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "simulate",
                Map.of("rolePath", "groups", "roleTable", "boss = admin", "profile", "{\"groups\":\"staff\"}"));
        assertTrue(noMatch.contains("id=\"sim-role\">read<"), "no match: the default role");

        Page saved = saveRoles(admin, org, true, "groups", "hub-admins = admin\nml-team = write");
        assertEquals(302, saved.status(), saved::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("id=\"mapping-state\">on"));

        // Alice (read) signs in with ml-team: write. Bob joins with both groups: admin (the most privileged).
        Page aliceIn = roundTrip(alice, alice.get("/organizations/" + org + "/sso"), alice.username()
                + "@example.test", "ml-team");
        assertTrue(aliceIn.contains("id=\"my-role\">write<"), aliceIn.body());
        WebClient bob = member("bob-" + s);
        Page bobIn = roundTrip(bob, bob.get("/organizations/" + org + "/sso"), bob.username() + "@example.test",
                "ml-team", "hub-admins");
        assertTrue(bobIn.contains("id=\"my-role\">admin<"), bobIn.body());
        // No group at all: the default role, at the next login too.
        Page aliceAgain = roundTrip(alice, alice.get("/organizations/" + org + "/sso"), alice.username()
                + "@example.test");
        assertTrue(aliceAgain.contains("id=\"my-role\">admin<"), "hub-admins by default in the test IdP");
        Page aliceNone = roundTrip(alice, alice.get("/organizations/" + org + "/sso"), alice.username()
                + "@example.test", "nothing-mapped");
        assertTrue(aliceNone.contains("id=\"my-role\">read<"), aliceNone.body());

        // While the mapping is on, the members page offers no manual role change, and says why.
        Page members = admin.get("/organizations/" + org + "/settings/members");
        assertTrue(members.contains("id=\"roles-from-idp\""));
        assertTrue(members.contains("disabled=\"disabled\""), "role selects and buttons are disabled");

        // Audited: the changes by mapping, the join with its role, the settings diff.
        Page audit = admin.get("/organizations/" + org + "/settings/audit.json?member=" + alice.username());
        String log = audit.body();
        assertTrue(log.contains("\"from\":\"read\",\"to\":\"write\",\"source\":\"mapping\"")
                || log.contains("\"source\":\"mapping\""), log);
        assertTrue(admin.get("/organizations/" + org + "/settings/audit.json?event=sso.join").body()
                .contains("\"role\":\"admin\""), "bob joined as admin by mapping");
        assertTrue(admin.get("/organizations/" + org + "/settings/audit.json?event=sso.settings").body()
                .contains("roleMappingPath"), "the settings diff names the path");

        // Enabling SSO with the mapping is refused when the admin's own latest tested profile is no admin any more.
        Page disabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "disable", Map.of());
        assertEquals(302, disabled.status(), disabled::body);
        Page retest = updateAndTest(admin, org, idp.entityId);
        Page retested = roundTrip(admin, continueToIdp(admin, retest), "admin@hub.localhost", "ml-team");
        assertTrue(retested.contains("id=\"test-outcome\">passed"), retested.body());
        Page refused = admin.submit(retested, "state", "enable", Map.of());
        assertEquals(200, refused.status());
        assertTrue(refused.contains("would lock you out"), refused.body());
        assertTrue(refused.contains("id=\"sso-state\">disabled"));
    }

    /**
     * Entra ID's shapes with role mapping: groups as object IDs map to roles; an overage reference (groups.link, sent
     * past 150 groups) is refused by default, or gives the default role when the organization chose so (audited),
     * never a role from groups left out.
     */
    @Test
    void groupObjectIdsMapAndAnOverageIsRefusedOrGivesTheDefaultRole() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String mlTeam = "5f3c2a1e-8b7d-4c6a-9e2f-1a2b3c4d5e6f";
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "entra");
        roundTrip(admin, continueToIdp(admin, updateAndTest(admin, org, idp.entityId)), "admin@hub.localhost");
        Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of());
        roundTrip(admin, continueToIdp(admin, enabled), "admin@hub.localhost");
        WebClient alice = member("alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");
        assertEquals(302, saveRoles(admin, org, true, "groups", "hub-admins = admin\n" + mlTeam + " = write")
                .status());

        // Groups as object IDs, the way Entra sends them: mapped.
        Map<String, List<String>> byId = Map.of("email", List.of(alice.username() + "@example.test"),
                "groups", List.of(mlTeam, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"));
        Page mapped = answered(alice, org, byId);
        assertTrue(mapped.contains("id=\"my-role\">write<"), mapped::body);

        // Overage: the groups left out, a reference in their place. Refused, the role kept, the reason audited.
        Map<String, List<String>> overage = Map.of("email", List.of(alice.username() + "@example.test"),
                "http://schemas.microsoft.com/claims/groups.link",
                List.of("https://graph.windows.net/tenant/users/alice/getMemberObjects"));
        Page refused = answered(alice, org, overage);
        assertEquals(403, refused.status(), refused::body);
        assertEquals("groups-overage", refused.header("X-Hub-Sso-Failure"));
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login").stream().anyMatch(r -> "groups-overage"
                .equals(r.getString("reason", null))));

        // The simulator says what an overage profile would get.
        Page simulated = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "simulate",
                Map.of("rolePath", "groups", "roleTable", "hub-admins = admin", "enabled", "on",
                        "profile", "{\"http://schemas.microsoft.com/claims/groups.link\":[\"https://graph\"]}"));
        assertTrue(simulated.contains("id=\"sim-overage\""), simulated::body);
        assertTrue(simulated.contains("this is refused (groups-overage)"), simulated::body);

        // The organization chooses the default role for an overage: audited; Alice gets read, not write.
        Map<String, String> fields = new java.util.HashMap<>(Map.of("rolePath", "groups", "roleTable",
                "hub-admins = admin\n" + mlTeam + " = write", "profile", "", "enabled", "on",
                "overageDefaultRole", "on"));
        assertEquals(302, admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "save", fields)
                .status());
        assertTrue(admin.get("/organizations/" + org + "/settings/audit.json?event=sso.settings").body()
                .contains("refuse -> default role"), "the choice is audited");
        Page defaulted = answered(alice, org, overage);
        assertEquals(200, defaulted.status(), defaulted::body);
        assertTrue(defaulted.contains("id=\"my-role\">read<"), defaulted::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/audit.json?member=" + alice.username()).body()
                .contains("\"source\":\"groups-overage\""), "the role change names the overage");
    }

    /** A member's SSO sign-in, the in-test IdP answering with exactly these attributes. */
    private Page answered(WebClient member, String org, Map<String, List<String>> attributes) {
        Sent sent = sent(member.get("/organizations/" + org + "/sso"));
        String answer = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), attributes.get("email").get(0))
                .attributes(attributes, null).encoded();
        Page acs = postToAcs(sent, answer);
        assertEquals(303, acs.status(), acs::body);
        return member.follow(member.get(absolute(sent, acs.location())));
    }

    @Test
    void revocationBannerAndReturnToRefusals() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "revoke");
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org,
                "kind", "model", "name", "open", "visibility", "public", "readme", "public readme")).status());
        Page save = updateAndTest(admin, org, idp.entityId);
        roundTrip(admin, continueToIdp(admin, save), "admin@hub.localhost");
        Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of());
        roundTrip(admin, continueToIdp(admin, enabled), "admin@hub.localhost");

        // Session timeout: bounded, shown, audited.
        Page tooShort = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "sessions", "saveTimeout",
                Map.of("timeout", "10", "unit", "minutes"));
        assertTrue(tooShort.contains("Use 15 minutes to 90 days."), tooShort.body());
        Page tooLong = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "sessions", "saveTimeout",
                Map.of("timeout", "91", "unit", "days"));
        assertTrue(tooLong.contains("Use 15 minutes to 90 days."));
        Page hour = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "sessions", "saveTimeout",
                Map.of("timeout", "1", "unit", "hours"));
        assertEquals(302, hour.status(), hour::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("(now 1 hour)"));

        // A non-member sees public content without any banner; a member without SSO gets the banner.
        WebClient carol = member("carol-" + s);
        Page open = carol.get("/" + org + "/open");
        assertEquals(200, open.status());
        assertFalse(open.contains("sso-banner"), "no banner for non-members on public content");
        HubFixtures.addMember(admin, org, carol.username(), "read");
        Page banner = carol.get("/" + org + "/open?tab=files");
        assertEquals(403, banner.status());
        assertTrue(banner.contains("id=\"sso-banner\""));
        assertTrue(banner.contains("This organization requires single sign-on"));
        assertTrue(banner.contains("/organizations/" + org + "/sso?returnTo=%2F" + org + "%2Fopen%3Ftab%3Dfiles"),
                banner.body());

        // returnTo accepts same-origin paths only: anything else comes back to the organization page.
        for (String evil : new String[] {"//evil.test/x", "/\\evil.test", "https://evil.test/", "javascript:alert(1)"}) {
            Page back = roundTrip(carol, carol.get("/organizations/" + org + "/sso?returnTo="
                    + java.net.URLEncoder.encode(evil, StandardCharsets.UTF_8)), carol.username() + "@example.test");
            assertEquals(200, back.status(), evil);
            assertTrue(back.path().endsWith("/" + org), evil + " led to " + back.path());
        }
        Page kept = roundTrip(carol, carol.get("/organizations/" + org + "/sso?returnTo=%2F" + org + "%2Fopen"),
                carol.username() + "@example.test");
        assertTrue(kept.path().endsWith("/" + org + "/open"), kept.path());

        // An admin revokes carol's SSO sessions from the members page: her next access needs SSO again.
        Page members = admin.get("/organizations/" + org + "/settings/members");
        String row = members.body().split("data-username=\"" + carol.username() + "\"")[1];
        java.util.regex.Matcher button = java.util.regex.Pattern.compile("name=\"(members:[^\"]+:revoke)\"")
                .matcher(row);
        assertTrue(button.find());
        Page revoked = admin.post(members.uri().toString(), Map.of("members", "members", button.group(1),
                "Revoke SSO sessions", "jakarta.faces.ViewState", members.viewState()));
        assertEquals(302, revoked.status(), revoked::body);
        // Carol signed in through the IdP several times above; each sign-in replaced her session before.
        assertTrue(admin.follow(revoked).contains("Revoked 1 SSO session(s) of this member."));
        assertEquals("sso-required", carol.get("/" + org + "/open").header("X-Hub-Access"));
        assertEquals(200, admin.get("/" + org).status(), "the admin's own session is untouched");

        // Everyone's, from the SSO settings: the admin's included.
        Page all = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "sessions", "revokeAll", Map.of());
        assertEquals(302, all.status(), all::body);
        Page after = admin.follow(all);
        assertEquals(403, after.status());
        assertTrue(after.contains("id=\"sso-banner\""));
        roundTrip(admin, admin.get("/organizations/" + org + "/sso"), "admin@hub.localhost");
        Page log = admin.get("/organizations/" + org + "/settings/audit.json?event=sso.session.revoke");
        assertTrue(log.body().contains("\"scope\":\"member\""), log.body());
        assertTrue(log.body().contains("\"scope\":\"all\""));
        assertTrue(admin.get("/organizations/" + org + "/settings/audit.json?event=sso.settings").body()
                .contains("7 days -> 1 hour"));
    }

    /**
     * On an organization that enforces SSO, "Update and Test" tries a draft: members keep signing in with the live
     * configuration (a wrong certificate under test locks nobody out), and the draft goes live only when a test of
     * that very draft has passed and the admin applies it; every step is audited.
     */
    @Test
    void updateAndTestOnAnEnforcingOrganizationTriesADraftMembersNeverUse() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "draft");
        SamlFlow.enable(admin, org, idp);
        WebClient alice = member("alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");

        // A wrong certificate under test: the test fails, alice still signs in with the live configuration.
        TestIdp rotated = new TestIdp(idp.entityId); // the same IdP after a key rotation
        Map<String, String> wrong = new java.util.HashMap<>(samlFields(idp.entityId));
        wrong.put("certificate", new TestIdp(idp.entityId).certificatePem());
        Page failed = roundTrip(admin, continueToIdp(admin, admin.submit(admin.get("/organizations/" + org
                + "/settings/sso"), "saml", "test", wrong)), "admin@hub.localhost");
        assertTrue(failed.contains("id=\"test-outcome\">failed"), failed::body);
        assertTrue(failed.contains("signature-invalid"));
        assertTrue(failed.contains("id=\"draft-state\">not tested"), failed::body);
        assertTrue(failed.contains("id=\"test-tried\""), failed::body);
        assertTrue(failed.body().contains("(the draft)"), "the result says the draft was tried");
        Page aliceIn = roundTrip(alice, alice.get("/organizations/" + org + "/sso"), alice.username() + "@example.test");
        assertEquals(200, aliceIn.status(), "members keep the live configuration: " + aliceIn.body());
        Page notApplied = admin.post(failed.uri().toString(), Map.of("draft", "draft", "draft:apply", "apply",
                "jakarta.faces.ViewState", failed.viewState()));
        assertTrue(notApplied.contains("before applying it"), notApplied::body);

        // The rotated key under test: passes; members' answers signed by it are still refused until applied.
        Map<String, String> next = new java.util.HashMap<>(samlFields(idp.entityId));
        next.put("certificate", rotated.certificatePem());
        Page save = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "saml", "test", next);
        Sent test = sent(continueToIdp(admin, save));
        Page passed = admin.follow(admin.get(absolute(test, postToAcs(test, rotated.answer(test.id(),
                test.spEntityId(), test.acs(), "admin@hub.localhost").encoded()).location())));
        assertTrue(passed.contains("id=\"test-outcome\">passed"), passed::body);
        assertTrue(passed.contains("id=\"draft-state\">tested"), passed::body);
        Sent early = sent(alice.get("/organizations/" + org + "/sso"));
        Page refused = alice.follow(postToAcs(early, rotated.answer(early.id(), early.spEntityId(), early.acs(),
                alice.username() + "@example.test").encoded()));
        assertEquals("signature-invalid", refused.header("X-Hub-Sso-Failure"), "the draft is not live yet");

        Page applied = admin.submit(passed, "draft", "apply", Map.of());
        assertEquals(302, applied.status(), applied::body);
        Page live = admin.follow(applied);
        assertTrue(live.contains("The draft is live"), live::body);
        assertFalse(live.contains("id=\"draft-box\""), "no draft any more");
        Sent after = sent(alice.get("/organizations/" + org + "/sso"));
        Page rotatedIn = alice.follow(postToAcs(after, rotated.answer(after.id(), after.spEntityId(), after.acs(),
                alice.username() + "@example.test").encoded()));
        assertEquals(200, rotatedIn.status(), rotatedIn::body);
        Sent old = sent(alice.get("/organizations/" + org + "/sso"));
        assertEquals("signature-invalid", alice.follow(postToAcs(old, idp.answer(old.id(), old.spEntityId(),
                old.acs(), alice.username() + "@example.test").encoded())).header("X-Hub-Sso-Failure"));

        // A draft can be thrown away; the live configuration stays.
        admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "saml", "test", wrong);
        Page withDraft = admin.get("/organizations/" + org + "/settings/sso");
        assertTrue(withDraft.contains("id=\"draft-box\""));
        assertEquals(302, admin.submit(withDraft, "draft", "discard", Map.of()).status());
        assertFalse(admin.get("/organizations/" + org + "/settings/sso").contains("id=\"draft-box\""));

        String log = admin.get("/organizations/" + org + "/settings/audit.json?event=sso.draft").body();
        assertTrue(log.contains("\"draftVersion\""), log);
        assertTrue(log.contains("\"discarded\""), log);
        String settings = admin.get("/organizations/" + org + "/settings/audit.json?event=sso.settings").body();
        assertTrue(settings.contains("\"appliedDraft\"") && settings.contains("\"certificateSha256\""), settings);
    }

    /**
     * Enable (and Apply) need the acting admin's own passing test in which the IdP signed the admin in as one of
     * the admin's verified emails: a test passed as somebody else would leave the admin locked out of the settings.
     */
    @Test
    void enableAndApplyNeverLockOutTheAdminDoingIt() {
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "lockout");
        Page asSomeoneElse = roundTrip(admin, continueToIdp(admin, updateAndTest(admin, org, idp.entityId)),
                "someone-else@example.test");
        assertTrue(asSomeoneElse.contains("id=\"test-outcome\">passed"), asSomeoneElse::body);
        assertTrue(asSomeoneElse.contains("Does not match: someone-else@example.test is not a verified email of your"
                + " account"), asSomeoneElse::body);
        Page refused = admin.submit(asSomeoneElse, "state", "enable", Map.of());
        assertEquals(200, refused.status());
        assertTrue(refused.contains("signed you in at the IdP as someone-else@example.test, which is not a verified"
                + " email of your account admin"), refused::body);
        assertTrue(refused.contains("id=\"sso-state\">disabled"));

        Page asAdmin = roundTrip(admin, continueToIdp(admin, updateAndTest(admin, org, idp.entityId)),
                "admin@hub.localhost");
        assertTrue(asAdmin.contains("Matches: admin@hub.localhost is a verified email of your account."),
                asAdmin::body);
        Page enabled = admin.submit(asAdmin, "state", "enable", Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        roundTrip(admin, continueToIdp(admin, enabled), "admin@hub.localhost");

        // The same for applying a draft.
        Map<String, String> changed = new java.util.HashMap<>(samlFields(idp.entityId));
        changed.put("clockSkew", "60");
        Page draftTested = roundTrip(admin, continueToIdp(admin, admin.submit(admin.get("/organizations/" + org
                + "/settings/sso"), "saml", "test", changed)), "someone-else@example.test");
        assertTrue(draftTested.contains("id=\"test-outcome\">passed"), draftTested::body);
        assertTrue(draftTested.contains("id=\"draft-state\">not tested"), "a test as somebody else does not count");
        Page notApplied = admin.post(draftTested.uri().toString(), Map.of("draft", "draft", "draft:apply", "apply",
                "jakarta.faces.ViewState", draftTested.viewState()));
        assertTrue(notApplied.contains("which is not a verified email of your account admin"), notApplied::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("id=\"draft-box\""),
                "the draft is still a draft");
    }

    /**
     * Matching email domains: when an organization lists any, only IdP emails in them pass its SSO or join through
     * it, each refusal with its own reason code; the list cannot exclude the admin saving it.
     */
    @Test
    void matchingEmailDomainsAdmitOnlyTheirEmails() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "domains");
        SamlFlow.enable(admin, org, idp);
        Page lockout = saveDomains(admin, org, "example.test");
        assertTrue(lockout.contains("would lock you out"), lockout::body);
        assertTrue(saveDomains(admin, org, "bad domain!").contains("is not a domain name"));
        Page saved = saveDomains(admin, org, "@Example.test\nhub.localhost");
        assertEquals(302, saved.status(), saved::body);
        assertTrue(admin.follow(saved).contains("example.test, hub.localhost"));

        WebClient kim = member("kim-" + s);
        Page in = roundTrip(kim, kim.get("/organizations/" + org + "/sso"), kim.username() + "@example.test");
        assertTrue(in.contains("id=\"my-role\">read<"), "an email in the domains joins: " + in.body());
        WebClient lou = member("lou-" + s);
        Page out = roundTrip(lou, lou.get("/organizations/" + org + "/sso"), lou.username() + "@elsewhere.test");
        assertEquals(403, out.status());
        assertEquals("email-domain-not-allowed", out.header("X-Hub-Sso-Failure"));
        assertFalse(lou.get("/" + org).contains("id=\"my-role\""), "no join from another domain");

        // An admin's test as an address outside the domains says so, and would not enable or apply.
        Map<String, String> changed = new java.util.HashMap<>(samlFields(idp.entityId));
        changed.put("clockSkew", "90");
        Page tested = roundTrip(admin, continueToIdp(admin, admin.submit(admin.get("/organizations/" + org
                + "/settings/sso"), "saml", "test", changed)), "admin@elsewhere.test");
        assertTrue(tested.contains("id=\"test-domain\""), tested::body);
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.settings").stream().anyMatch(r -> r.getJsonObject("detail")
                .containsKey("emailDomains")), "the domains are audited");
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login").stream().anyMatch(r -> "email-domain-not-allowed"
                .equals(r.getString("reason", null))));
    }

    private static Page saveDomains(WebClient admin, String org, String domains) {
        return admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "domains", "save",
                Map.of("emailDomains", domains));
    }

    /**
     * The IdP's MFA and conditional access are for the sign-in that passed it: a member's second browser, signed in
     * to the hub with the password alone, must pass the IdP itself, and signing out ends the SSO session.
     */
    @Test
    void anSsoSessionBelongsToTheSignInItWasMadeIn() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "bound");
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org,
                "kind", "model", "name", "secret", "visibility", "private", "readme", "classified")).status());
        SamlFlow.enable(admin, org, idp);
        WebClient laptop = member("gina-" + s);
        HubFixtures.addMember(admin, org, laptop.username(), "read");
        Page passed = roundTrip(laptop, laptop.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret"),
                laptop.username() + "@example.test");
        assertTrue(passed.contains("classified"), passed::body);

        // Another browser, the same member, the password alone: the IdP was not passed in this sign-in.
        WebClient phone = client();
        phone.signIn(laptop.username(), HubFixtures.PASSWORD);
        Page other = phone.get("/" + org + "/secret");
        assertEquals(403, other.status());
        assertEquals("sso-required", other.header("X-Hub-Access"));
        assertFalse(other.contains("classified"));
        assertTrue(laptop.get("/" + org + "/secret").contains("classified"), "the first browser keeps its session");
        // The second browser passes the IdP itself: now both have one.
        assertTrue(roundTrip(phone, phone.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret"),
                laptop.username() + "@example.test").contains("classified"));

        // Signing out ends the SSO session of that sign-in; signing in again needs the IdP again.
        Page logout = laptop.get("/logout");
        assertEquals(302, laptop.submit(logout, "logout", "submit", Map.of()).status());
        laptop.signIn(laptop.username(), HubFixtures.PASSWORD);
        assertEquals("sso-required", laptop.get("/" + org + "/secret").header("X-Hub-Access"));
        assertTrue(phone.get("/" + org + "/secret").contains("classified"), "the other browser's sign-in is its own");
    }

    /** Saves the role-mapping form of the SSO settings. */
    private static Page saveRoles(WebClient admin, String org, boolean enabled, String path, String table) {
        Page page = admin.get("/organizations/" + org + "/settings/sso");
        Map<String, String> fields = new java.util.HashMap<>(Map.of("rolePath", path, "roleTable", table,
                "profile", ""));
        if (enabled) {
            fields.put("enabled", "on");
        }
        return admin.submit(page, "roles", "save", fields);
    }

    // ---- the browser's trip through the IdP -----------------------------------------------------------------

    /** From the hub's redirect to the IdP, through the IdP's answer at the ACS, back to where the hub sends. */
    private Page roundTrip(WebClient browser, Page redirectToIdp, String email, String... groups) {
        Sent sent = sent(redirectToIdp);
        TestIdp.Answer a = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), email);
        String answer = (groups.length == 0 ? a : a.groups(groups)).encoded();
        Page acs = postToAcs(sent, answer);
        assertEquals(303, acs.status(), acs::body);
        return browser.follow(browser.get(absolute(sent, acs.location())));
    }

    private Page updateAndTest(WebClient admin, String org, String idpIssuer) {
        return SamlFlow.updateAndTest(admin, org, idp, idpIssuer);
    }

    private Map<String, String> samlFields(String idpIssuer) {
        return SamlFlow.samlFields(idp, idpIssuer);
    }

    private WebClient member(String username) {
        return HubFixtures.verifiedMember(URI.create(base.toString()), username);
    }

    private WebClient client() {
        return new WebClient(URI.create(base.toString()));
    }
}
