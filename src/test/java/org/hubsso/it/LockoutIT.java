package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hubsso.it.SamlFlow.Sent;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No organization locked out by its own IdP, over HTTP against the deployed WAR: a key rotation carried by the IdP's
 * metadata URL with no failed sign-in; a rotation without it, which locks the admin out until a recovery code lets
 * the admin repair the configuration; recovery codes' rules; certificate expiry warnings; the operator's override;
 * guarded certificate removal; the role mapping's preview of admins who would lose admin. The IdP's metadata URL is a
 * loopback HTTP server of the test; mail goes to GreenMail ({@link TestMail}). The test server runs with a metadata
 * grace period of 2 seconds ({@code hub.saml.metadata.grace}, arquillian.xml).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LockoutIT {

    static final String SIGN_ON = "http://127.0.0.1:9/idp/sso";
    static MetadataServer metadata;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    @BeforeAll
    static void start() throws IOException {
        TestMail.start();
        metadata = new MetadataServer();
    }

    @AfterAll
    static void stop() {
        if (metadata != null) {
            metadata.close();
        }
    }

    /**
     * The IdP adds a new signing key and signs with it at once (as Keycloak does when a key of higher priority is
     * added): with the metadata URL configured, the first answer signed by the new key makes the hub read the metadata
     * again and trust it, so no sign-in fails. The old key, gone from the metadata, stops being trusted after the grace
     * period. Signed metadata must be signed by a trusted certificate.
     */
    @Test
    void aKeyRotationThroughTheMetadataUrlFailsNoSignIn() throws Exception {
        String s = HubFixtures.suffix();
        TestIdp idp = new TestIdp("http://idp-rot-" + s + ".localhost/realms/r");
        TestIdp next = new TestIdp(idp.entityId);
        String path = "/rot-" + s;
        metadata.serve(path, idp.metadata(SIGN_ON, idp.certificate));
        WebClient admin = adminOf(s);
        String org = HubFixtures.newOrg(admin, "rot");
        privateRepo(admin, org);
        // Only the metadata URL: Sign-On URL, issuer and certificate come from the metadata.
        Page saved = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "saml", "test",
                Map.of("metadataUrl", metadata.url(path), "signOnUrl", "", "idpIssuer", "", "certificate", "",
                        "emailAttribute", "", "clockSkew", "120"));
        Page tested = SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, saved), email(admin));
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested::body);
        enable(admin, org, idp);
        WebClient alice = HubFixtures.verifiedMember(uri(), "alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");
        assertEquals(200, signIn(alice, org, idp).status());

        // The IdP rotates: the metadata lists both keys, and the IdP signs with the new one.
        metadata.serve(path, idp.metadata(SIGN_ON, idp.certificate, next.certificate));
        int fetchesBefore = metadata.hits(path);
        long started = System.nanoTime();
        Page rotated = signIn(alice, org, idp, next);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(200, rotated.status(), "the first answer signed by the new key is accepted: " + rotated.body());
        assertTrue(rotated.contains("classified"), rotated::body);
        assertEquals(fetchesBefore + 1, metadata.hits(path), "the metadata was read once, at that answer");
        System.out.println("[measurement] LockoutIT: first sign-in signed by the IdP's new key, metadata read again"
                + " inside it: " + millis + " ms end to end (start, ACS, completion, page)");
        List<JsonObject> changes = HubFixtures.auditOf(admin, org, "event=sso.settings");
        JsonObject change = changes.get(changes.size() - 1);
        assertTrue(change.toString().contains("metadata") && change.toString().contains("unknown signing key")
                && change.toString().contains("certificateSha256"), change::toString);
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        assertEquals(2, count(settings.body(), "class=\"certificate "), settings::body);
        assertEquals(0, signIns(admin, org, "failure").size(), "no failed sign-in across the rotation");

        // The old key goes from the metadata: trusted for the grace period after it was last listed, then not.
        metadata.serve(path, idp.metadata(SIGN_ON, next.certificate));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Page after = settings;
        while (System.nanoTime() < deadline && count(after.body(), "class=\"certificate ") != 1) {
            admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "refresh", "now", Map.of());
            after = admin.get("/organizations/" + org + "/settings/sso");
        }
        assertEquals(1, count(after.body(), "class=\"certificate "), after::body);
        assertTrue(after.contains(fingerprintOf(next)), "the new key stays");
        assertEquals("signature-invalid", refusedAnswer(alice, org, idp, idp), "the old key no longer verifies");
        assertEquals(200, signIn(alice, org, idp, next).status());

        // Signed metadata must be signed by a trusted certificate: an attacker's signature changes nothing.
        TestIdp attacker = new TestIdp(idp.entityId);
        metadata.serve(path, idp.signedMetadata(attacker, SIGN_ON, attacker.certificate));
        Page refused = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "refresh", "now", Map.of());
        assertTrue(refused.contains("signed, but not by a certificate this organization trusts"), refused::body);
        Page unchanged = admin.get("/organizations/" + org + "/settings/sso");
        assertFalse(unchanged.contains(fingerprintOf(attacker)), "the attacker's key is not trusted");
        assertTrue(unchanged.contains("id=\"metadata-error\""), "the failed refresh is shown");
        TestIdp third = new TestIdp(idp.entityId);
        metadata.serve(path, idp.signedMetadata(next, SIGN_ON, next.certificate, third.certificate));
        Page accepted = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "refresh", "now", Map.of());
        assertEquals(302, accepted.status(), accepted::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains(fingerprintOf(third)),
                "metadata signed by a trusted key brings the next one");
    }

    /**
     * Without the metadata URL and with the old certificate only, a rotation at the IdP fails every sign-in, the
     * admin's too: the settings answer "single sign-on required". A recovery code opens the settings (not the
     * content) for this admin; the new certificate is added and tested; sign-ins work again. Audited and mailed.
     */
    @Test
    void aRotationWithoutTheMetadataUrlIsRepairedWithARecoveryCode() throws Exception {
        String s = HubFixtures.suffix();
        TestIdp idp = new TestIdp("http://idp-lock-" + s + ".localhost/realms/r");
        TestIdp next = new TestIdp(idp.entityId);
        WebClient admin = adminOf(s);
        String org = HubFixtures.newOrg(admin, "lock");
        privateRepo(admin, org);
        Page tested = SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, SamlFlow.updateAndTest(admin,
                org, idp, idp.entityId)), email(admin));
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested::body);
        List<String> codes = enable(admin, org, idp);
        assertEquals(10, codes.size(), "the enabling admin is shown ten recovery codes");
        WebClient alice = HubFixtures.verifiedMember(uri(), "alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");
        assertEquals(200, signIn(alice, org, idp).status());

        // The IdP rotates its key; the hub trusts the old certificate only.
        assertEquals("signature-invalid", refusedAnswer(alice, org, idp, next));
        WebClient fresh = new WebClient(uri()).username(admin.username());
        fresh.signIn(admin.username(), HubFixtures.PASSWORD);
        assertEquals("signature-invalid", refusedAnswer(fresh, org, idp, next), "the admin cannot pass either");
        Page locked = fresh.get("/organizations/" + org + "/settings/sso");
        assertEquals("sso-required", locked.header("X-Hub-Access"), "locked out of the settings");
        assertTrue(locked.contains("id=\"recover-link\""), "the page offers the recovery code");

        // A recovery code: the settings open, for this admin in this browser, the content does not.
        Page recovered = fresh.submit(fresh.get("/organizations/" + org + "/recover"), "recover", "submit",
                Map.of("code", codes.get(3)));
        assertEquals(302, recovered.status(), recovered::body);
        Page settings = fresh.get("/organizations/" + org + "/settings/sso");
        assertEquals(200, settings.status(), settings::body);
        assertEquals("sso-required", fresh.get("/" + org + "/secret").header("X-Hub-Access"), "content stays closed");
        TestMail.awaitSubject(email(admin), "A recovery code of " + org + " was used");

        // The next certificate is added, tested through the IdP (which now signs with it), and sign-ins work again.
        Page added = fresh.submit(settings, "next", "add", Map.of("nextCertificate", next.certificatePem()));
        assertEquals(302, added.status(), added::body);
        Page test = fresh.submit(fresh.get("/organizations/" + org + "/settings/sso"), "saml", "test",
                samlFormOf(fresh.get("/organizations/" + org + "/settings/sso")));
        Page retested = SamlFlow.roundTrip(fresh, next, SamlFlow.continueToIdp(fresh, test), email(admin));
        assertTrue(retested.contains("id=\"test-outcome\">passed"), retested::body);
        assertEquals(200, signIn(alice, org, idp, next).status(), "members sign in again");
        assertEquals(200, signIn(fresh, org, idp, next).status(), "and so does the admin");

        List<JsonObject> uses = HubFixtures.auditOf(fresh, org, "event=sso.recovery.use");
        assertTrue(uses.stream().anyMatch(r -> "success".equals(r.getString("outcome"))
                && admin.username().equals(r.getString("actor", null))), uses::toString);
        assertTrue(HubFixtures.auditOf(fresh, org, "event=sso.settings").stream()
                .anyMatch(r -> r.toString().contains("\"added\"")), "the added certificate is audited");
    }

    /**
     * Recovery codes: single use, a wrong, used or other organization's code is refused (and audited), a member who
     * is not an admin cannot use one, guessing is throttled, a new set voids the old one, and a recovery session
     * belongs to the hub sign-in in which the code was entered.
     */
    @Test
    void recoveryCodesAreSingleUseThrottledAndForAdminsOnly() {
        String s = HubFixtures.suffix();
        TestIdp idp = new TestIdp("http://idp-codes-" + s + ".localhost/realms/r");
        WebClient admin = adminOf(s);
        String org = HubFixtures.newOrg(admin, "codes");
        SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, SamlFlow.updateAndTest(admin, org, idp,
                idp.entityId)), email(admin));
        WebClient reader = HubFixtures.verifiedMember(uri(), "rd-" + s);
        HubFixtures.addMember(admin, org, reader.username(), "read");
        List<String> codes = enable(admin, org, idp);
        String otherOrg = HubFixtures.newOrg(admin, "codes2");
        SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, SamlFlow.updateAndTest(admin, otherOrg, idp,
                idp.entityId)), email(admin));
        List<String> otherCodes = enable(admin, otherOrg, idp);

        WebClient locked = new WebClient(uri());
        locked.signIn(admin.username(), HubFixtures.PASSWORD);
        assertTrue(recover(locked, org, "aaaaa-aaaaa").contains("not a recovery code of"), "a wrong code");
        assertTrue(recover(locked, org, otherCodes.get(0)).contains("not a recovery code of"), "another org's code");
        assertTrue(recover(reader, org, codes.get(0)).contains("for the admins of"), "members need to be admins");
        assertEquals(302, recover(locked, org, codes.get(0)).status(), "a code of this organization");
        WebClient again = new WebClient(uri());
        again.signIn(admin.username(), HubFixtures.PASSWORD);
        assertEquals("sso-required", again.get("/organizations/" + org + "/settings/sso").header("X-Hub-Access"),
                "the recovery session belongs to the sign-in the code was entered in");
        assertTrue(recover(again, org, codes.get(0)).contains("not a recovery code of"), "a code works once");

        // A new set voids the old one.
        Page regenerated = locked.submit(locked.get("/organizations/" + org + "/settings/sso"), "recovery",
                "regenerate", Map.of());
        List<String> newCodes = codesOn(regenerated);
        assertEquals(10, newCodes.size(), regenerated::body);
        assertTrue(recover(again, org, codes.get(2)).contains("not a recovery code of"), "old codes are void");
        assertEquals(302, recover(again, org, newCodes.get(0)).status(), "the new set works");

        // Throttled: ten codes per admin and quarter hour, good or wrong; then even a good code is refused.
        WebClient guesser = new WebClient(uri());
        guesser.signIn(admin.username(), HubFixtures.PASSWORD);
        for (int i = 0; i < 5; i++) {
            recover(guesser, org, "bbbbb-bbbb" + i);
        }
        Page throttled = recover(guesser, org, newCodes.get(1));
        assertTrue(throttled.contains("Too many recovery codes"), throttled::body);
        assertEquals("sso-required", guesser.get("/organizations/" + org + "/settings/sso").header("X-Hub-Access"));

        List<JsonObject> audited = HubFixtures.auditOf(locked, org, "event=sso.recovery.use");
        for (String reason : List.of("invalid-code", "not-an-admin", "throttled")) {
            assertTrue(audited.stream().anyMatch(r -> reason.equals(r.getString("reason", null))), reason);
        }
        assertTrue(HubFixtures.auditOf(locked, org, "event=sso.recovery.codes").size() >= 2, "both sets audited");
    }

    /**
     * Trusted certificates that expire in 89, 29 and 6 days, and one that expired a day ago: each gets the warning of
     * its threshold once (an audit event, a mail to the admins, a metric) and a standing warning on the settings
     * pages. An expired certificate still verifies sign-ins.
     */
    @Test
    void expiringCertificatesAreWarnedAboutOnce() {
        String s = HubFixtures.suffix();
        Instant now = Instant.now();
        Map<Integer, Integer> thresholds = Map.of(89, 90, 29, 30, 6, 7, -1, 0);
        for (Map.Entry<Integer, Integer> t : thresholds.entrySet()) {
            TestIdp idp = new TestIdp("http://idp-exp-" + s + ".localhost/realms/r" + t.getKey(),
                    now.minus(Duration.ofDays(400)), now.plus(Duration.ofDays(t.getKey())).plusSeconds(3600));
            TestIdp current = new TestIdp(idp.entityId);
            WebClient admin = adminOf(s + t.getValue());
            String org = HubFixtures.newOrg(admin, "exp");
            SamlFlow.updateAndTest(admin, org, current, idp.entityId);
            Page trusted = new WebClient(uri()).post("/it-support/trust", Map.of("org", org, "pems",
                    idp.certificatePem()));
            assertEquals(204, trusted.status(), trusted::body);
            Page checked = new WebClient(uri()).post("/it-support/certificate-watch", Map.of("org", org));
            assertEquals("1", checked.body().strip(), "one warning for " + t.getKey() + " days");
            Page twice = new WebClient(uri()).post("/it-support/certificate-watch", Map.of("org", org));
            assertEquals("0", twice.body().strip(), "given once");
            List<JsonObject> events = HubFixtures.auditOf(admin, org, "event=sso.certificate.expiry");
            assertEquals(1, events.size(), events::toString);
            assertTrue(events.get(0).toString().contains("\"thresholdDays\":\"" + t.getValue() + "\"")
                    || events.get(0).toString().contains("\"thresholdDays\":" + t.getValue()), events::toString);
            TestMail.awaitSubject(email(admin), t.getKey() < 0 ? "certificate of " + org + " has expired"
                    : "certificate of " + org + " expires");
            Page general = admin.get("/organizations/" + org + "/settings/general");
            assertTrue(general.contains("class=\"notice warning certificate-expiry\""), "warned on every settings"
                    + " page");
            assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("class=\"field-error"
                    + " cert-warning\""));
            if (t.getKey() < 0) {
                // Expired, but the pinned key still verifies: a warning, not a lockout.
                SamlFlow.Sent sent = SamlFlow.sent(admin.get("/organizations/" + org + "/sso?test=1&returnTo=/"));
                Page acs = SamlFlow.postToAcs(sent, idp.answer(sent.id(), sent.spEntityId(), sent.acs(),
                        email(admin)).encoded());
                assertEquals(303, acs.status(), acs::body);
                Page result = admin.follow(admin.get(SamlFlow.absolute(sent, acs.location())));
                assertTrue(result.contains("id=\"test-outcome\">passed"), result::body);
            }
        }
        String metrics = new WebClient(uri()).get("/metrics").body();
        for (int days : List.of(90, 30, 7, 0)) {
            assertTrue(metrics.contains("hub_sso_certificate_expiry_warnings_total{") && metrics.contains(
                    "days=\"" + days + "\""), "metric for " + days);
        }
    }

    /**
     * The site admin suspends an organization's enforcement only with a reason; it is audited, mailed to the
     * organization's admins and shown on its pages; it opens none of its content to the site admin; lifting it makes
     * members pass the IdP again.
     */
    @Test
    void theOperatorOverrideNeedsAReasonIsLoudAndOpensNoContent() {
        String s = HubFixtures.suffix();
        TestIdp idp = new TestIdp("http://idp-ovr-" + s + ".localhost/realms/r");
        WebClient owner = adminOf(s);
        String org = HubFixtures.newOrg(owner, "ovr");
        privateRepo(owner, org);
        SamlFlow.roundTrip(owner, idp, SamlFlow.continueToIdp(owner, SamlFlow.updateAndTest(owner, org, idp,
                idp.entityId)), email(owner));
        enable(owner, org, idp);
        WebClient locked = new WebClient(uri());
        locked.signIn(owner.username(), HubFixtures.PASSWORD);
        assertEquals("sso-required", locked.get("/" + org + "/secret").header("X-Hub-Access"));

        WebClient operator = HubFixtures.admin(base);
        assertEquals(404, owner.get("/settings/admin").status(), "site admins only");
        Page noReason = operator.submit(operator.get("/settings/admin"), "override", "suspend", Map.of("org", org,
                "reason", ""));
        assertTrue(noReason.contains("Write why enforcement is suspended"), noReason::body);
        assertTrue(operator.submit(operator.get("/settings/admin"), "override", "suspend", Map.of("org", org,
                "reason", "short")).contains("in a sentence"));
        String reason = "Their IdP tenant was deleted and all recovery codes are lost (ticket " + s + ").";
        Page suspended = operator.submit(operator.get("/settings/admin"), "override", "suspend", Map.of("org", org,
                "reason", reason));
        assertEquals(302, suspended.status(), suspended::body);
        assertTrue(operator.get("/settings/admin").contains("data-org=\"" + org + "\""));

        assertEquals(404, operator.get("/" + org + "/secret").status(), "the site admin gets no content");
        assertTrue(operator.get("/" + org).contains("id=\"sso-suspended\""), "shown on the organization's page");
        assertEquals(200, locked.get("/" + org + "/secret").status(), "members reach it with their sign-in alone");
        Page settings = locked.get("/organizations/" + org + "/settings/general");
        assertTrue(settings.contains(reason), "the reason is on the settings pages");
        TestMail.awaitSubject(email(owner), "Single sign-on of " + org + " is suspended by the operator");
        List<JsonObject> audited = HubFixtures.auditOf(locked, org, "event=sso.override");
        assertTrue(audited.stream().anyMatch(r -> r.toString().contains(reason)
                && HubFixtures.ADMIN.equals(r.getString("actor", null))), audited::toString);

        Page lifted = operator.submit(operator.get("/settings/admin"), "suspended", lift(operator), Map.of());
        assertEquals(302, lifted.status(), lifted::body);
        assertEquals("sso-required", locked.get("/" + org + "/secret").header("X-Hub-Access"), "enforced again");
        assertEquals(2, HubFixtures.auditLines(base, org).stream().filter(l -> l.startsWith("sso.override success"))
                .count(), "suspended and lifted, both audited");
    }

    /**
     * Removing a trusted certificate: the last one is refused; the one that verified the newest sign-in needs a
     * confirmation. The role mapping names the admins who would lose admin at their next SSO login.
     */
    @Test
    void removalsAndRoleMappingsSayWhomTheyWouldLockOut() {
        String s = HubFixtures.suffix();
        TestIdp idp = new TestIdp("http://idp-rm-" + s + ".localhost/realms/r");
        TestIdp next = new TestIdp(idp.entityId);
        WebClient admin = adminOf(s);
        String org = HubFixtures.newOrg(admin, "rm");
        privateRepo(admin, org);
        SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, SamlFlow.updateAndTest(admin, org, idp,
                idp.entityId)), email(admin));
        enable(admin, org, idp);
        Page added = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "next", "add",
                Map.of("nextCertificate", next.certificatePem()));
        assertEquals(302, added.status(), added::body);
        assertEquals(200, signIn(admin, org, idp).status());

        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        Page warned = admin.submit(settings, "certs", removeButton(settings, fingerprintOf(idp), 0), Map.of());
        assertTrue(warned.contains("verified the most recent successful sign-in"), warned::body);
        assertTrue(warned.contains("name=\"confirming\" value=\"" + fingerprintOf(idp) + "\""), "the page carries it");
        String confirm = removeButton(warned, fingerprintOf(idp), 1);
        Page confirmed = admin.post(warned.uri().toString(), Map.of("certs", "certs", "certs:" + confirm, confirm,
                "confirming", fingerprintOf(idp), "jakarta.faces.ViewState", warned.viewState()));
        assertEquals(302, confirmed.status(), confirmed::body);
        Page last = admin.get("/organizations/" + org + "/settings/sso");
        assertFalse(last.contains(fingerprintOf(idp)));
        Page refused = admin.submit(last, "certs", removeButton(last, fingerprintOf(next), 0), Map.of());
        assertTrue(refused.contains("This is the only trusted certificate"), refused::body);

        // Carol is an admin whose last SSO login carried no hub-admins group: the mapping would demote her.
        WebClient carol = HubFixtures.verifiedMember(uri(), "carol-" + s);
        HubFixtures.addMember(admin, org, carol.username(), "admin");
        Page carolIn = SamlFlow.roundTrip(carol, next, carol.get("/organizations/" + org + "/sso"), email(carol),
                "ml-team");
        assertEquals(200, carolIn.status(), carolIn::body);
        Page tested = SamlFlow.roundTrip(admin, next, SamlFlow.continueToIdp(admin, admin.submit(admin.get(
                "/organizations/" + org + "/settings/sso"), "saml", "test", samlFormOf(admin.get("/organizations/"
                        + org + "/settings/sso")))), email(admin), "hub-admins");
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested::body);
        Page mapped = admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "save",
                Map.of("enabled", "on", "rolePath", "groups", "roleTable", "hub-admins = admin", "profile", "")));
        assertTrue(mapped.contains("these admins will no longer be admins at their next one: " + carol.username()),
                mapped::body);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private URI uri() {
        return URI.create(base.toString());
    }

    /** A fresh account, signed in, with a verified email, to create and administer an organization of its own. */
    private WebClient adminOf(String s) {
        return HubFixtures.verifiedMember(uri(), "adm-" + s + "-" + HubFixtures.suffix().substring(0, 4));
    }

    private static String email(WebClient who) {
        return who.username() + "@example.test";
    }

    private static void privateRepo(WebClient admin, String org) {
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org, "kind",
                "model", "name", "secret", "visibility", "private", "readme", "classified")).status());
    }

    /** Enables SSO and passes the IdP as the admin; returns the recovery codes shown afterwards. */
    private static List<String> enable(WebClient admin, String org, TestIdp idp) {
        Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        Page back = SamlFlow.roundTrip(admin, idp, SamlFlow.continueToIdp(admin, enabled), email(admin));
        assertTrue(back.contains("id=\"sso-state\">enabled"), back::body);
        return codesOn(back);
    }

    private static List<String> codesOn(Page page) {
        List<String> codes = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"recovery-code\">([a-z0-9-]+)<").matcher(page.body());
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    /** A member's SSO sign-in whose answer {@code signer} signs (the IdP's entity ID stays {@code idp}'s). */
    private Page signIn(WebClient member, String org, TestIdp idp, TestIdp... signer) {
        Sent sent = SamlFlow.sent(member.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret"));
        TestIdp.Answer answer = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), email(member));
        String encoded = (signer.length == 0 ? answer : answer.signedBy(signer[0])).encoded();
        Page acs = SamlFlow.postToAcs(sent, encoded);
        assertEquals(303, acs.status(), acs::body);
        return member.follow(member.get(SamlFlow.absolute(sent, acs.location())));
    }

    /** A sign-in that must be refused: its reason code. */
    private String refusedAnswer(WebClient member, String org, TestIdp idp, TestIdp signer) {
        Page page = signIn(member, org, idp, signer);
        assertTrue(page.status() >= 400, page::body);
        return page.header("X-Hub-Sso-Failure");
    }

    private static Page recover(WebClient who, String org, String code) {
        return who.submit(who.get("/organizations/" + org + "/recover"), "recover", "submit", Map.of("code", code));
    }

    /** The organization's SSO logins with this outcome (success or failure), from its audit log. */
    private static List<JsonObject> signIns(WebClient admin, String org, String outcome) {
        return HubFixtures.auditOf(admin, org, "event=sso.login").stream()
                .filter(r -> outcome.equals(r.getString("outcome"))).toList();
    }

    /** The SAML form's values as the page shows them, to press "Update and Test" with them unchanged. */
    private static Map<String, String> samlFormOf(Page page) {
        Map<String, String> fields = new HashMap<>();
        for (String name : List.of("metadataUrl", "signOnUrl", "idpIssuer", "emailAttribute", "clockSkew")) {
            Matcher m = Pattern.compile("name=\"saml:" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(page.body());
            fields.put(name, m.find() ? m.group(1).replace("&amp;", "&") : "");
        }
        Matcher cert = Pattern.compile("name=\"saml:certificate\"[^>]*>([^<]*)</textarea>").matcher(page.body());
        fields.put("certificate", cert.find() ? cert.group(1).replace("&#10;", "\n") : "");
        return fields;
    }

    /** The id (without the form prefix) of the n-th remove button of the certificate row with this fingerprint. */
    private static String removeButton(Page page, String fingerprint, int n) {
        String body = page.body();
        int row = body.indexOf("data-fingerprint=\"" + fingerprint + "\"");
        assertTrue(row >= 0, "no certificate " + fingerprint);
        Matcher m = Pattern.compile("name=\"certs:([^\"]+)\" value=\"Remove").matcher(body.substring(row));
        for (int i = 0; i <= n; i++) {
            assertTrue(m.find(), "remove button " + n);
        }
        return m.group(1);
    }

    private static String lift(WebClient operator) {
        Matcher m = Pattern.compile("name=\"suspended:([^\"]+)\" value=\"Lift\"").matcher(operator.get(
                "/settings/admin").body());
        assertTrue(m.find());
        return m.group(1);
    }

    private static String fingerprintOf(TestIdp idp) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(idp.certificate.getEncoded());
            return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The IdP's metadata URLs: a loopback HTTP server whose documents the test changes, counting the reads. */
    static final class MetadataServer implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, AtomicReference<String>> documents = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> hits = new java.util.concurrent.ConcurrentHashMap<>();

        MetadataServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                AtomicReference<String> doc = documents.get(path);
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                byte[] body = doc == null ? new byte[0] : doc.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/samlmetadata+xml");
                exchange.sendResponseHeaders(doc == null ? 404 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        void serve(String path, String document) {
            documents.computeIfAbsent(path, p -> new AtomicReference<>()).set(document);
        }

        int hits(String path) {
            return hits.getOrDefault(path, new AtomicInteger()).get();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
