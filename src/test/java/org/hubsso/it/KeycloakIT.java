package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlMatches;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hubsso.it.WebClient.Page;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * End to end with a real IdP: Keycloak (started once by {@link KeycloakServer} on loopback) and the built WAR on
 * Payara Micro, driven by headless Chromium. For SAML and for OpenID Connect alike, an admin configures an
 * organization's SSO with Keycloak, tests and enables it through Keycloak; a member then meets "Single sign-on
 * required" on a private repository and passes Keycloak to see it.
 */
@ExtendWith({KeycloakServer.class, ArquillianExtension.class}) // Keycloak launches first, boots alongside Payara
@RunAsClient
class KeycloakIT {


    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    ChromeDriver driver;
    WebDriverWait wait;
    KeycloakServer keycloak;

    @BeforeAll
    static void chromium() {
        Browsers.requireChromium(); // skips, or fails on CI, when Chromium is not installed
    }

    @AfterEach
    void quitBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Test
    void adminConfiguresKeycloakAndAMemberSignsInThroughIt() throws IOException {
        keycloak = KeycloakServer.current().awaitReady();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String org = "kc-" + s;
        String member = "kcm-" + s;
        String memberEmail = member + "@example.test";
        String readme = "Weights of " + org + "/secret, for SSO members only.";
        try {
            browser();
            prepare(org, readme, member);

            keycloak.addUser(member, memberEmail, "KC", "Member");
            configureAndEnableSaml(org);

            // --- role mapping on Keycloak's email attribute: the member will be a writer ---------------------
            driver.findElement(By.id("roles:enabled")).click();
            driver.findElement(By.id("roles:rolePath")).sendKeys("email");
            driver.findElement(By.id("roles:roleTable")).sendKeys("admin@hub.localhost = admin\n" + memberEmail
                    + " = write");
            driver.findElement(By.id("roles:save")).click();
            wait.until(textToBe(By.id("mapping-state"), "on"));
            screenshot("keycloak-4b-role-mapping.png");
            quitBrowser();

            // --- the member, in a fresh browser profile: SSO required, then Keycloak, then the repository -------
            browser();
            signIn(member, HubFixtures.PASSWORD);
            driver.get(url(org + "/secret"));
            wait.until(visibilityOfElementLocated(By.id("state-sso-required")));
            WebElement banner = driver.findElement(By.id("sso-banner"));
            assertTrue(banner.getText().contains("This organization requires single sign-on"), banner.getText());
            screenshot("keycloak-5-sso-required.png");
            banner.findElement(By.id("sso-login")).click();
            keycloakLogin(member, "keycloak-6-member-login.png");
            wait.until(urlToBe(url(org + "/secret")));
            WebElement shown = wait.until(visibilityOfElementLocated(By.id("readme")));
            screenshot("keycloak-7-repo.png");
            assertEquals(readme, shown.getText());
            driver.get(url(org));
            assertEquals("write", wait.until(visibilityOfElementLocated(By.id("my-role"))).getText(),
                    "the role the mapping gave at this login");
            quitBrowser();

            // --- the admin, in a fresh browser: the SSO session of the first browser does not count here ------
            // (it belongs to the sign-in it was made in), so the admin passes Keycloak in this browser too, then
            // sees the mapped role on the members page.
            browser();
            signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
            driver.get(url("organizations/" + org + "/settings/members"));
            wait.until(visibilityOfElementLocated(By.id("state-sso-required")));
            driver.findElement(By.id("sso-banner")).findElement(By.id("sso-login")).click();
            keycloakLogin("hub-admin", "keycloak-7b-admin-again.png");
            wait.until(urlToBe(url("organizations/" + org + "/settings/members")));
            WebElement role = wait.until(visibilityOfElementLocated(By.cssSelector("[data-username='" + member
                    + "'] select")));
            assertEquals("write", new Select(role).getFirstSelectedOption().getText());
            assertTrue(driver.findElement(By.id("roles-from-idp")).isDisplayed());
            assertTrue(!role.isEnabled(), "no manual role change while the mapping is on");
            screenshot("keycloak-8-members.png");

            // --- the audit log shows the SSO login and the role change the mapping made ---------------------
            driver.get(url("organizations/" + org + "/settings/audit?member=" + member));
            wait.until(visibilityOfElementLocated(By.id("audit-table")));
            assertEquals(1, driver.findElements(By.cssSelector("tr[data-event='member.role']")).size());
            assertTrue(driver.findElement(By.cssSelector("tr[data-event='member.role']")).getText()
                    .contains("mapping"));
            assertEquals(1, driver.findElements(By.cssSelector("tr[data-event='sso.login']")).size(),
                    "the member's one SSO login");
            screenshot("keycloak-9-audit.png");

        } catch (AssertionError | RuntimeException e) {
            if (driver != null) {
                screenshot("keycloak-failure.png");
                Files.writeString(Browsers.SCREENSHOTS.resolve("keycloak-failure.html"), driver.getPageSource());
                System.out.println("Failed at " + driver.getCurrentUrl());
            }
            throw e;
        }
    }

    /**
     * Keycloak on its defaults: the client made from the hub's SP metadata requires signed AuthnRequests and
     * encrypts its assertions; nothing is changed on either side, and the admin and a member pass.
     */
    @Test
    void keycloakOnItsDefaultsSignedRequestsAndEncryptedAssertions() throws IOException {
        keycloak = KeycloakServer.current().awaitReady();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String org = "kcd-" + s;
        String member = "kcdm-" + s;
        String readme = "Weights of " + org + "/secret, for SSO members only.";
        try {
            browser();
            prepare(org, readme, member);
            keycloak.addUser(member, member + "@example.test", "KC", "Member");
            configureAndEnableSaml(org, true);
            quitBrowser();

            browser();
            signIn(member, HubFixtures.PASSWORD);
            driver.get(url(org + "/secret"));
            wait.until(visibilityOfElementLocated(By.id("state-sso-required")));
            driver.findElement(By.id("sso-banner")).findElement(By.id("sso-login")).click();
            keycloakLogin(member, "keycloak-d1-member-login.png");
            wait.until(urlToBe(url(org + "/secret")));
            assertEquals(readme, wait.until(visibilityOfElementLocated(By.id("readme"))).getText());
        } catch (AssertionError | RuntimeException e) {
            if (driver != null) {
                screenshot("keycloak-defaults-failure.png");
                Files.writeString(Browsers.SCREENSHOTS.resolve("keycloak-defaults-failure.html"),
                        driver.getPageSource());
                System.out.println("Failed at " + driver.getCurrentUrl());
            }
            throw e;
        }
    }

    @Test
    void adminConfiguresKeycloakOidcAndAMemberSignsInThroughIt() throws IOException {
        keycloak = KeycloakServer.current().awaitReady();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String org = "kco-" + s;
        String member = "kcom-" + s;
        String readme = "Weights of " + org + "/secret, for OIDC members only.";
        try {
            browser();
            prepare(org, readme, member);

            // --- a confidential client with this organization's redirect URI is registered at Keycloak ---------
            driver.get(url("organizations/" + org + "/settings/sso"));
            String redirectUri = wait.until(visibilityOfElementLocated(By.id("oidc-redirect-uri"))).getText();
            assertTrue(redirectUri.endsWith("/oidc/callback"), redirectUri);
            String clientId = "hub-" + s;
            String secret = "kc-secret-" + UUID.randomUUID();
            keycloak.registerOidcClient(clientId, secret, redirectUri);
            keycloak.addUser(member, member + "@example.test", "KC", "Member");

            // --- Update and Test OIDC: discovery, Keycloak's login page, back with the claims -----------------
            String issuer = keycloak.base() + "/realms/" + KeycloakServer.REALM;
            driver.findElement(By.id("oidc:issuerUrl")).sendKeys(issuer);
            driver.findElement(By.id("oidc:clientId")).sendKeys(clientId);
            driver.findElement(By.id("oidc:clientSecret")).sendKeys(secret);
            submitToIdp(By.id("oidc:test"), "Update and Test OIDC");
            keycloakLogin("hub-admin", "keycloak-oidc-1-login.png");
            wait.until(urlMatches(Pattern.quote(url("organizations/" + org + "/settings/sso")) + ".*"));
            WebElement outcome = wait.until(visibilityOfElementLocated(By.id("test-outcome")));
            screenshot("keycloak-oidc-2-tested.png");
            assertEquals("passed", outcome.getText(), () -> driver.findElement(By.id("test-result")).getText());
            String claims = driver.findElement(By.id("test-attributes")).getText();
            assertTrue(claims.contains("\"groups\"") && claims.contains("hub-admins"), claims);
            assertTrue(claims.contains("admin@hub.localhost"), claims);
            assertEquals("OpenID Connect", driver.findElement(By.id("sso-protocol")).getText());
            assertTrue(!driver.getPageSource().contains(secret), "the client secret is never shown");

            // --- Enable: through Keycloak (session there) and back ---------------------------------------------
            driver.findElement(By.id("state:enable")).click();
            wait.until(urlToBe(url("organizations/" + org + "/settings/sso")));
            wait.until(textToBe(By.id("sso-state"), "enabled"));
            quitBrowser();

            // --- the member: SSO required, Keycloak, the repository ---------------------------------------------
            browser();
            signIn(member, HubFixtures.PASSWORD);
            driver.get(url(org + "/secret"));
            wait.until(visibilityOfElementLocated(By.id("state-sso-required")));
            driver.findElement(By.id("sso-login")).click();
            keycloakLogin(member, "keycloak-oidc-3-member-login.png");
            wait.until(urlToBe(url(org + "/secret")));
            WebElement shown = wait.until(visibilityOfElementLocated(By.id("readme")));
            screenshot("keycloak-oidc-4-repo.png");
            assertEquals(readme, shown.getText());
        } catch (AssertionError | RuntimeException e) {
            if (driver != null) {
                screenshot("keycloak-oidc-failure.png");
                Files.writeString(Browsers.SCREENSHOTS.resolve("keycloak-oidc-failure.html"), driver.getPageSource());
                System.out.println("Failed at " + driver.getCurrentUrl());
            }
            throw e;
        }
    }

    /**
     * The admin creates an organization with a private repository; the member signs up (email verified by the test
     * servlet) and is added as reader.
     */
    /**
     * The whole story of a newcomer, with no test-only shortcut: in Chromium a brand-new user signs up with the address
     * Keycloak will assert, opens the verification link from the mail the hub sent (to GreenMail, a real SMTP server),
     * opens the SSO organization, follows "Login with SSO", passes Keycloak, and lands on the organization as a
     * member, seeing its private repository.
     */
    @Test
    void aNewcomerSignsUpVerifiesByMailAndJoinsThroughKeycloak() throws Exception {
        keycloak = KeycloakServer.current().awaitReady();
        TestMail.start();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String org = "kcn-" + s;
        String newcomer = "new-" + s;
        String email = newcomer + "@example.test";
        String readme = "Private notes of " + org + ".";
        try {
            browser();
            createOrgWithPrivateRepo(org, readme);
            configureAndEnableSaml(org);
            quitBrowser();
            keycloak.addUser(newcomer, email, "New", "Comer");

            browser();
            driver.get(url("join"));
            wait.until(visibilityOfElementLocated(By.id("join:username"))).sendKeys(newcomer);
            driver.findElement(By.id("join:email")).sendKeys(email);
            driver.findElement(By.id("join:password")).sendKeys(HubFixtures.PASSWORD);
            driver.findElement(By.id("join:submit")).click();
            wait.until(urlToBe(url("")));
            screenshot("newcomer-1-signed-up.png");

            String link = TestMail.link(TestMail.await(email, 1), "/settings/account/verify");
            assertTrue(link.startsWith(base.toString().replaceAll("/$", "")), link);
            driver.get(link);
            WebElement verified = wait.until(visibilityOfElementLocated(By.id("verify-message")));
            screenshot("newcomer-2-verified.png");
            assertTrue(verified.getText().contains(email), verified.getText());

            driver.get(url(org));
            driver.findElement(By.id("sso-join")).click();
            keycloakLogin(newcomer, "newcomer-3-keycloak.png");
            wait.until(urlToBe(url(org)));
            assertEquals("read", wait.until(visibilityOfElementLocated(By.id("my-role"))).getText(),
                    "joined with the default role");
            driver.findElement(By.cssSelector("a.repo-link[href$='/" + org + "/secret']")).click();
            assertEquals(readme, wait.until(visibilityOfElementLocated(By.id("readme"))).getText());
            screenshot("newcomer-4-member.png");
        } catch (AssertionError | RuntimeException e) {
            if (driver != null) {
                screenshot("newcomer-failure.png");
                Files.writeString(Browsers.SCREENSHOTS.resolve("newcomer-failure.html"), driver.getPageSource());
                System.out.println("Failed at " + driver.getCurrentUrl());
            }
            throw e;
        }
    }

    /**
     * As the admin, in the current browser: registers the organization's SP at Keycloak, fills the SAML settings
     * from Keycloak's metadata, runs Update and Test through Keycloak's login page and enables SSO (passing Keycloak
     * again at once).
     */
    /**
     * Keycloak rotates its realm's SAML signing key (a new RSA key of higher priority signs at once; the old one is
     * made passive, then removed) while members keep signing in. An organization with Keycloak's metadata URL trusts
     * the new key at the first answer it signs: no sign-in fails, and the audit trail shows the key change. An
     * organization with the old certificate pasted fails every sign-in, its admin's too; a recovery code brings the
     * admin to the settings, where the new certificate is added and tested, and sign-ins work again. Over HTTP, with
     * Keycloak's own login form and auto-posted answers.
     */
    @Test
    void aKeycloakKeyRotationFailsNoSignInWithTheMetadataUrlAndIsRepairedWithoutIt() {
        keycloak = KeycloakServer.current().awaitReady();
        String s = UUID.randomUUID().toString().substring(0, 8);
        String descriptor = keycloak.base() + "/realms/" + KeycloakServer.REALM + "/protocol/saml/descriptor";
        WebClient admin = HubFixtures.admin(base);
        String followed = HubFixtures.newOrg(admin, "kcrot");
        String pasted = HubFixtures.newOrg(admin, "kcpin");
        for (String org : List.of(followed, pasted)) {
            assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org, "kind",
                    "model", "name", "secret", "visibility", "private", "readme", "for " + org)).status());
            Page settings = admin.get("/organizations/" + org + "/settings/sso");
            keycloak.registerSamlClient(SamlFlow.between(settings.body(), "id=\"sp-entity-id\">", "<"),
                    SamlFlow.between(settings.body(), "id=\"acs-url\">", "<"));
        }
        String oldCertificate = org.hubsso.sso.saml.IdpMetadata.read("m", keycloak.idpMetadata()).certificatePem();
        Page savedFollowed = admin.submit(admin.get("/organizations/" + followed + "/settings/sso"), "saml", "test",
                Map.of("metadataUrl", descriptor, "signOnUrl", "", "idpIssuer", "", "certificate", "",
                        "emailAttribute", "", "clockSkew", "120"));
        Page savedPasted = admin.submit(admin.get("/organizations/" + pasted + "/settings/sso"), "saml", "test",
                Map.of("metadataUrl", "", "signOnUrl", keycloak.base() + "/realms/" + KeycloakServer.REALM
                        + "/protocol/saml", "idpIssuer", keycloak.base() + "/realms/" + KeycloakServer.REALM,
                        "certificate", oldCertificate, "emailAttribute", "", "clockSkew", "120"));
        assertTrue(throughKeycloak(admin, SamlFlow.continueToIdp(admin, savedFollowed), "hub-admin")
                .contains("id=\"test-outcome\">passed"));
        assertTrue(throughKeycloak(admin, SamlFlow.continueToIdp(admin, savedPasted), "hub-admin")
                .contains("id=\"test-outcome\">passed"));
        Map<String, List<String>> codes = new HashMap<>();
        for (String org : List.of(followed, pasted)) {
            Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable",
                    Map.of());
            Page back = throughKeycloak(admin, SamlFlow.continueToIdp(admin, enabled), "hub-admin");
            assertTrue(back.contains("id=\"sso-state\">enabled"), back::body);
            codes.put(org, codesOn(back));
        }
        String member = "kcr-" + s;
        keycloak.addUser(member, member + "@example.test", "KC", "Rotation");
        WebClient alice = HubFixtures.verifiedMember(URI.create(base.toString()), member);
        for (String org : List.of(followed, pasted)) {
            HubFixtures.addMember(admin, org, member, "read");
            assertEquals(200, throughKeycloak(alice, alice.get("/organizations/" + org + "/sso?returnTo=/" + org
                    + "/secret"), member).status());
        }

        // --- Keycloak rotates: the new key signs at once --------------------------------------------------------
        String oldKey = keycloak.activeSigningKeyProvider();
        long rotated = System.nanoTime();
        String newKey = keycloak.rotateSigningKey(200);
        Page followedAfter = throughKeycloak(alice, alice.get("/organizations/" + followed + "/sso?returnTo=/"
                + followed + "/secret"), member);
        long trustedAfter = Duration.ofNanos(System.nanoTime() - rotated).toMillis();
        assertEquals(200, followedAfter.status(), "the metadata URL carries the rotation: " + followedAfter.body());
        System.out.println("[measurement] KeycloakIT: Keycloak rotated its signing key; the hub trusted the new key "
                + trustedAfter + " ms later, at the first sign-in it signed (metadata read inside that sign-in)");
        List<jakarta.json.JsonObject> changes = HubFixtures.auditOf(admin, followed, "event=sso.settings");
        assertTrue(changes.get(changes.size() - 1).toString().contains("unknown signing key"), changes::toString);
        Page pinnedAfter = throughKeycloak(alice, alice.get("/organizations/" + pasted + "/sso?returnTo=/" + pasted
                + "/secret"), member);
        assertEquals("signature-invalid", pinnedAfter.header("X-Hub-Sso-Failure"), "only the old certificate");

        // --- the old key passive, then removed: the organization with the metadata URL keeps signing in -------
        keycloak.makePassive(oldKey);
        assertEquals(200, throughKeycloak(alice, alice.get("/organizations/" + followed + "/sso?returnTo=/"
                + followed + "/secret"), member).status());
        keycloak.removeKeyProvider(oldKey);
        assertEquals(200, throughKeycloak(alice, alice.get("/organizations/" + followed + "/sso?returnTo=/"
                + followed + "/secret"), member).status());
        assertEquals(0, HubFixtures.auditOf(admin, followed, "event=sso.login").stream()
                .filter(r -> "failure".equals(r.getString("outcome"))).count(), "no failed sign-in across it");

        // --- the pinned organization: its admin is locked out, a recovery code opens the settings -------------
        WebClient locked = new WebClient(URI.create(base.toString())).username(HubFixtures.ADMIN);
        locked.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        assertEquals("signature-invalid", throughKeycloak(locked, locked.get("/organizations/" + pasted + "/sso"),
                "hub-admin").header("X-Hub-Sso-Failure"));
        assertEquals("sso-required", locked.get("/organizations/" + pasted + "/settings/sso").header("X-Hub-Access"));
        Page recovered = locked.submit(locked.get("/organizations/" + pasted + "/recover"), "recover", "submit",
                Map.of("code", codes.get(pasted).get(0)));
        assertEquals(302, recovered.status(), recovered::body);
        String newCertificate = org.hubsso.sso.saml.IdpMetadata.read("m", keycloak.idpMetadata()).certificatePem();
        Page added = locked.submit(locked.get("/organizations/" + pasted + "/settings/sso"), "next", "add",
                Map.of("nextCertificate", newCertificate));
        assertEquals(302, added.status(), added::body);
        Page retest = locked.submit(locked.get("/organizations/" + pasted + "/settings/sso"), "saml", "test",
                Map.of("metadataUrl", "", "signOnUrl", keycloak.base() + "/realms/" + KeycloakServer.REALM
                        + "/protocol/saml", "idpIssuer", keycloak.base() + "/realms/" + KeycloakServer.REALM,
                        "certificate", oldCertificate + newCertificate, "emailAttribute", "", "clockSkew", "120"));
        assertTrue(throughKeycloak(locked, SamlFlow.continueToIdp(locked, retest), "hub-admin")
                .contains("id=\"test-outcome\">passed"), "the new certificate is tested");
        assertEquals(200, throughKeycloak(alice, alice.get("/organizations/" + pasted + "/sso?returnTo=/" + pasted
                + "/secret"), member).status(), "members sign in again");
        assertTrue(HubFixtures.auditOf(locked, pasted, "event=sso.recovery.use").stream()
                .anyMatch(r -> "success".equals(r.getString("outcome"))));
        keycloak.removeKeyProvider(newKey);
    }

    /**
     * Through Keycloak over HTTP, as a browser: its login form when it asks (user {@code user}), then its auto-posted
     * SAML answer, posted to the hub's ACS (cross-site: without the hub's cookies), and the hub followed back.
     */
    private Page throughKeycloak(WebClient browser, Page redirect, String user) {
        assertEquals(303, redirect.status(), redirect::body);
        Page page = browser.get(redirect.location());
        for (int i = 0; i < 5 && page.status() / 100 == 3; i++) {
            page = browser.get(page.uri().resolve(page.location()).toString());
        }
        java.util.regex.Matcher login = java.util.regex.Pattern.compile("(?is)<form\\b[^>]*kc-form-login[^>]*>")
                .matcher(page.body());
        if (login.find()) {
            String action = html(SamlFlow.between(login.group(), "action=\"", "\""));
            page = browser.post(action, Map.of("username", user, "password", KeycloakServer.USER_PASSWORD,
                    "credentialId", ""));
            for (int i = 0; i < 5 && page.status() / 100 == 3; i++) {
                page = browser.get(page.uri().resolve(page.location()).toString());
            }
        }
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("(?is)<form[^>]*action=\"([^\"]+)\"")
                .matcher(page.body());
        Page answer = page;
        assertTrue(form.find() && answer.body().contains("SAMLResponse"), () -> "no SAML answer: " + answer.body());
        String acs = html(form.group(1));
        Map<String, String> fields = new HashMap<>();
        java.util.regex.Matcher input = java.util.regex.Pattern.compile(
                "(?is)<input[^>]*name=\"(SAMLResponse|RelayState)\"[^>]*value=\"([^\"]*)\"").matcher(answer.body());
        while (input.find()) {
            fields.put(input.group(1), html(input.group(2)));
        }
        Page answered = new WebClient(URI.create(acs)).post(acs, fields);
        assertEquals(303, answered.status(), answered::body);
        return browser.follow(browser.get(URI.create(acs).resolve(answered.location()).toString()));
    }

    private static String html(String text) {
        return text.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x3d;", "=").replace("&#61;", "=")
                .replace("&#x2f;", "/").replace("&#47;", "/").replace("&#x2b;", "+").replace("&#43;", "+");
    }

    private static List<String> codesOn(Page page) {
        List<String> codes = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("class=\"recovery-code\">([a-z0-9-]+)<")
                .matcher(page.body());
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private void configureAndEnableSaml(String org) throws IOException {
        configureAndEnableSaml(org, false);
    }

    /**
     * @param importMetadata register the client at Keycloak from the hub's SP metadata with Keycloak's defaults
     *        (client signature required, assertions encrypted) rather than with the settings the older guide gave
     */
    private void configureAndEnableSaml(String org, boolean importMetadata) throws IOException {
        // --- the SSO settings show this organization's SP; it is registered at Keycloak -------------------
        driver.get(url("organizations/" + org + "/settings/sso"));
        String spEntityId = wait.until(visibilityOfElementLocated(By.id("sp-entity-id"))).getText();
        String acsUrl = driver.findElement(By.id("acs-url")).getText();
        assertTrue(acsUrl.startsWith(base.toString().replaceAll("/$", "")), acsUrl);
        if (importMetadata) {
            jakarta.json.JsonObject client = keycloak.importSamlClient(new WebClient(URI.create(spEntityId))
                    .get(spEntityId).body());
            assertEquals("true", client.getString("saml.client.signature"), client::toString);
            assertEquals("true", client.getString("saml.encrypt"), client::toString);
        } else {
            // Keycloak's "Client signature required" stays on: the SP signing certificate goes to its Keys tab.
            String sp = new WebClient(URI.create(spEntityId)).get(spEntityId).body();
            keycloak.registerSamlClient(spEntityId, acsUrl, SamlFlow.between(sp.substring(sp.indexOf(
                    "use=\"signing\"")), "X509Certificate>", "<").strip());
        }

        // --- fields filled: from the metadata pasted, or (on Keycloak's defaults) from its metadata URL -------
        String realmUrl = keycloak.base() + "/realms/" + KeycloakServer.REALM;
        if (importMetadata) {
            driver.findElement(By.id("saml:metadataUrl")).sendKeys(realmUrl + "/protocol/saml/descriptor");
            driver.findElement(By.id("saml:fillUrl")).click();
        } else {
            String metadata = keycloak.idpMetadata();
            WebElement metadataField = driver.findElement(By.id("meta:metadata"));
            driver.executeScript("arguments[0].value = arguments[1];", metadataField, metadata); // a paste
            driver.findElement(By.id("meta:fill")).click();
        }
        // The page reloads after the post: an element of the old document may vanish while it is read.
        new WebDriverWait(driver, Duration.ofSeconds(60)).ignoring(org.openqa.selenium.WebDriverException.class)
                .until(driver -> !driver.findElement(By.id("saml:signOnUrl")).getAttribute("value").isEmpty());
        assertEquals(realmUrl + "/protocol/saml", driver.findElement(By.id("saml:signOnUrl")).getAttribute("value"));
        assertEquals(realmUrl, driver.findElement(By.id("saml:idpIssuer")).getAttribute("value"));
        assertTrue(driver.findElement(By.id("saml:certificate")).getAttribute("value")
                .startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(driver.findElement(By.id("saml:signRequests")).isSelected(),
                "Keycloak's metadata says WantAuthnRequestsSigned: requests are signed");
        screenshot("keycloak-1-filled.png");

        // --- Update and Test: through Keycloak's login page and back -------------------------------------
        submitToIdp(By.id("saml:test"), "Update and Test");
        keycloakLogin("hub-admin", "keycloak-2-login.png");
        wait.until(urlMatches(Pattern.quote(url("organizations/" + org + "/settings/sso")) + ".*"));
        WebElement outcome = wait.until(visibilityOfElementLocated(By.id("test-outcome")));
        screenshot("keycloak-3-tested.png");
        assertEquals("passed", outcome.getText(), () -> driver.findElement(By.id("test-result")).getText());
        assertEquals("admin@hub.localhost", driver.findElement(By.id("test-subject")).getText());
        assertTrue(driver.findElement(By.id("test-attributes")).getText().contains("admin@hub.localhost"),
                driver.findElement(By.id("test-attributes")).getText());
        assertEquals("disabled", driver.findElement(By.id("sso-state")).getText(), "a test enables nothing");

        // --- Enable: the admin passes Keycloak at once (already signed in there) ---------------------------
        // Keycloak still has the admin's session, so the browser passes it without stopping: landing back on
        // the settings (which now need an SSO session) proves the round trip.
        driver.findElement(By.id("state:enable")).click();
        wait.until(urlToBe(url("organizations/" + org + "/settings/sso")));
        wait.until(textToBe(By.id("sso-state"), "enabled"));
        assertTrue(driver.findElements(By.id("state:disable")).size() == 1, "the disable button is offered");
        screenshot("keycloak-4-enabled.png");
    }

    private void prepare(String org, String readme, String member) {
        createOrgWithPrivateRepo(org, readme);
        HubFixtures.verifiedMember(URI.create(base.toString()), member);

        driver.get(url("organizations/" + org + "/settings/members"));
        wait.until(visibilityOfElementLocated(By.id("add:username"))).sendKeys(member);
        new Select(driver.findElement(By.id("add:role"))).selectByValue("read");
        driver.findElement(By.id("add:submit")).click();
        wait.until(presenceOfElementLocated(By.cssSelector("[data-username='" + member + "']")));
    }

    /** As the admin: a new organization with a private repository {@code secret} whose README is {@code readme}. */
    private void createOrgWithPrivateRepo(String org, String readme) {
        signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        driver.get(url("organizations/new"));
        wait.until(visibilityOfElementLocated(By.id("org:name"))).sendKeys(org);
        driver.findElement(By.id("org:displayName")).sendKeys("Keycloak " + org);
        driver.findElement(By.id("org:submit")).click();
        wait.until(urlToBe(url(org)));

        driver.get(url("new?org=" + org));
        WebElement form = wait.until(visibilityOfElementLocated(By.id("repo")));
        assertEquals(org, new Select(form.findElement(By.id("repo:org"))).getFirstSelectedOption().getText());
        form.findElement(By.cssSelector("input[name='repo:kind'][value='model']")).click();
        form.findElement(By.id("repo:name")).sendKeys("secret");
        form.findElement(By.cssSelector("input[name='repo:visibility'][value='private']")).click();
        form.findElement(By.id("repo:readme")).sendKeys(readme);
        form.findElement(By.id("repo:submit")).click();
        wait.until(urlToBe(url(org + "/secret")));
    }

    /**
     * Presses a button whose form post leads the browser on to the IdP (the hub answers with its settings page,
     * which continues to the SSO start by a fresh navigation), and waits until the browser is at Keycloak. A
     * Content-Security-Policy violation on the way fails the test at once.
     */
    private void submitToIdp(By button, String what) {
        driver.executeScript("window.__cspViolations = [];"
                + "document.addEventListener('securitypolicyviolation', function (e) {"
                + " window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI); });");
        driver.findElement(button).click();
        String idp = keycloak.base() + "/realms/" + KeycloakServer.REALM + "/";
        Object violations = wait.until(d -> d.getCurrentUrl().startsWith(idp) ? List.of()
                : violations(driver.executeScript("return window.__cspViolations || null;")));
        assertTrue(((List<?>) violations).isEmpty(), what + ": the browser was stopped on its way to the IdP at "
                + driver.getCurrentUrl() + ": " + violations);
    }

    private static List<?> violations(Object found) {
        return found instanceof List<?> list && !list.isEmpty() ? list : null;
    }

    /** On Keycloak's login page (reached by the hub's redirect), signs in as a user of the hub realm. */
    private void keycloakLogin(String username, String screenshot) throws IOException {
        wait.until(urlMatches("^" + Pattern.quote(keycloak.base() + "/realms/" + KeycloakServer.REALM + "/") + ".*"));
        wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(KeycloakServer.USER_PASSWORD);
        screenshot(screenshot);
        driver.findElement(By.id("kc-login")).click();
    }

    private void browser() {
        driver = Browsers.startChromium();
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    private void signIn(String login, String password) {
        Browsers.signIn(driver, wait, base, login, password);
    }

    private String url(String path) {
        return Browsers.url(base, path);
    }

    private void screenshot(String fileName) {
        Browsers.screenshot(driver, fileName);
    }
}
