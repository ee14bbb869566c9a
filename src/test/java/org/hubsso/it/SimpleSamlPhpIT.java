package org.hubsso.it;

import static org.hubsso.it.SamlFlow.between;
import static org.hubsso.it.SamlFlow.continueToIdp;
import static org.hubsso.it.SimpleSamlPhpPages.attribute;
import static org.hubsso.it.SimpleSamlPhpPages.hiddenInputs;
import static org.hubsso.it.SimpleSamlPhpPages.html;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * End to end with a second real IdP: SimpleSAMLphp (Debian's package, started by {@link SimpleSamlPhpServer} under an
 * Apache httpd of its own on loopback) on its defaults, and the built WAR on its defaults, over HTTP as a browser
 * (SimpleSAMLphp's login form and its auto-posted answer are plain HTML). The SP is registered at SimpleSAMLphp from
 * the hub's SP metadata (signed AuthnRequests required, assertions encrypted); the hub reads SimpleSAMLphp's
 * metadata URL. SimpleSAMLphp sends a transient NameID and the email in {@code mail}, which the hub finds by itself.
 */
@ExtendWith({SimpleSamlPhpServer.class, ArquillianExtension.class}) // httpd starts first, beside the server's boot
@RunAsClient
class SimpleSamlPhpIT {

    private static final String MAIL_OID = "urn:oid:0.9.2342.19200300.100.1.3";
    /** Key transport and content encryption the hub decrypts (never RSA 1.5). */
    private static final List<String> KEY_TRANSPORT = List.of("http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep");
    private static final List<String> CONTENT_ENCRYPTION = List.of("http://www.w3.org/2009/xmlenc11#aes128-gcm",
            "http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    SimpleSamlPhpServer ssp;

    @BeforeAll
    static void simpleSamlPhp() {
        SimpleSamlPhpServer.require(); // skips, or fails on CI, when SimpleSAMLphp or httpd is not installed
    }

    /**
     * The admin registers the organization at SimpleSAMLphp from its SP metadata, gives the hub SimpleSAMLphp's
     * metadata URL, tests and enables SSO and maps roles from {@code eduPersonAffiliation}; a member then passes
     * SimpleSAMLphp to a private repository with the mapped role. SimpleSAMLphp refuses the AuthnRequest without its
     * signature, and its answers carry the assertion encrypted only.
     */
    @Test
    void simpleSamlPhpOnItsDefaultsSignsInAMemberWithAMappedRole() {
        ssp = SimpleSamlPhpServer.current().awaitReady();
        WebClient admin = HubFixtures.admin(base);
        WebClient adminAtIdp = new WebClient(URI.create(ssp.base()));
        String org = HubFixtures.newOrg(admin, "ssp");
        String readme = "Weights of " + org + "/secret, for SSO members only.";
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org, "kind",
                "model", "name", "secret", "visibility", "private", "readme", readme)).status());

        // --- the SP registered at SimpleSAMLphp from the hub's SP metadata; the hub given SimpleSAMLphp's -------
        registerAtIdp(admin, org, "");
        Page saved = updateAndTest(admin, org);
        Page redirect = continueToIdp(admin, saved);
        Through tested = throughIdp(admin, adminAtIdp, redirect, SimpleSamlPhpServer.ADMIN_USER);
        assertPassed(tested.page());
        assertFalse(text(tested.page(), "test-subject").contains("@"), "a transient NameID, not the email");
        assertTrue(tested.page().contains("Matches: " + SimpleSamlPhpServer.ADMIN_MAIL), tested.page()::body);
        String attributes = text(tested.page(), "test-attributes");
        assertTrue(attributes.contains("\"mail\"") && attributes.contains("eduPersonAffiliation"), attributes);
        tested.assertSignedRequestAndEncryptedAssertion();
        System.out.println("[measurement] SimpleSamlPhpIT: SimpleSAMLphp's answer: " + tested.describe());

        // SimpleSAMLphp checks the signature (validate.authnrequest): the same request without it is refused there.
        String unsigned = redirect.location().replaceAll("&SigAlg=[^&]*", "").replaceAll("&Signature=[^&]*", "");
        Page refused = new WebClient(URI.create(ssp.base())).get(unsigned);
        assertFalse(refused.contains("name=\"password\"") || refused.contains("SAMLResponse"), refused::body);
        assertTrue(refused.contains("no signature found on message"), refused::body); // its error page, status 200

        // --- Enable: through SimpleSAMLphp again (its session: no login form) --------------------------------
        Page enabled = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable",
                Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        Page back = throughIdp(admin, adminAtIdp, continueToIdp(admin, enabled), null).page();
        assertTrue(back.contains("id=\"sso-state\">enabled"), back::body);

        // --- roles from eduPersonAffiliation ---------------------------------------------------------------------
        Page roles = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "save",
                Map.of("enabled", "on", "rolePath", "eduPersonAffiliation", "roleTable",
                        "staff = admin\nstudent = write", "profile", ""));
        assertEquals(302, roles.status(), roles::body);
        assertTrue(admin.get("/organizations/" + org + "/settings/sso").contains("id=\"mapping-state\">on"));

        // --- a member: SSO required, SimpleSAMLphp's login, the repository with the mapped role -----------------
        WebClient member = HubFixtures.verifiedMember(URI.create(base.toString()), ssp.member());
        HubFixtures.addMember(admin, org, ssp.member(), "read");
        assertEquals("sso-required", member.get("/" + org + "/secret").header("X-Hub-Access"));
        Through in = throughIdp(member, new WebClient(URI.create(ssp.base())), member.get("/organizations/" + org
                + "/sso?returnTo=/" + org + "/secret"), ssp.member());
        assertEquals(200, in.page().status(), in.page()::body);
        assertTrue(in.page().uri().getPath().endsWith("/" + org + "/secret"), in.page().uri()::toString);
        assertTrue(in.page().contains(readme), in.page()::body);
        in.assertSignedRequestAndEncryptedAssertion();
        assertTrue(member.get("/" + org).contains("id=\"my-role\">write<"), "student = write, from SimpleSAMLphp");
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login&member=" + ssp.member()).stream()
                .anyMatch(r -> "success".equals(r.getString("outcome"))));
    }

    /**
     * SimpleSAMLphp with the URI attribute NameFormat for this SP ({@code attributes.NameFormat} and the
     * {@code name2oid} map, as SAML2int profiles ask): {@code mail} goes out as its OID, and the hub still finds the
     * email by itself.
     */
    @Test
    void simpleSamlPhpWithTheUriNameFormatPassesUpdateAndTest() {
        ssp = SimpleSamlPhpServer.current().awaitReady();
        WebClient admin = HubFixtures.admin(base);
        String org = HubFixtures.newOrg(admin, "sspuri");
        registerAtIdp(admin, org, "'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',\n"
                + "    'authproc' => [90 => ['class' => 'core:AttributeMap', 'name2oid']],");
        Page saved = updateAndTest(admin, org);
        Through tested = throughIdp(admin, new WebClient(URI.create(ssp.base())), continueToIdp(admin, saved),
                SimpleSamlPhpServer.ADMIN_USER);
        assertPassed(tested.page());
        String attributes = text(tested.page(), "test-attributes");
        assertTrue(attributes.contains("\"" + MAIL_OID + "\""), attributes);
        assertTrue(tested.page().contains("Matches: " + SimpleSamlPhpServer.ADMIN_MAIL), tested.page()::body);
        tested.assertSignedRequestAndEncryptedAssertion();
    }

    /**
     * The SP registered as SimpleSAMLphp's admin does by default: the hub's SP metadata pasted into SimpleSAMLphp's
     * metadata converter and its entry kept as given (the NameID format emailAddress the metadata names,
     * {@code validate.authnrequest} from AuthnRequestsSigned), assertion encryption turned on. SimpleSAMLphp then
     * answers a user with an eduPersonPrincipalName with a NameID of format emailAddress whose value is an opaque hash
     * of it, not an address: the hub takes the email from {@code mail}.
     */
    @Test
    void simpleSamlPhpWithTheSpFromItsMetadataConverterPassesUpdateAndTest() {
        ssp = SimpleSamlPhpServer.current().awaitReady();
        WebClient admin = HubFixtures.admin(base);
        String org = HubFixtures.newOrg(admin, "sspconv");
        String entry = ssp.registerSpWithConverter(spMetadata(admin, org), "'assertion.encryption' => true,");
        assertTrue(entry.contains("'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'"),
                entry);
        assertTrue(entry.contains("'validate.authnrequest' => true"), entry);
        Page saved = updateAndTest(admin, org);
        Through tested = throughIdp(admin, new WebClient(URI.create(ssp.base())), continueToIdp(admin, saved),
                SimpleSamlPhpServer.ADMIN_USER);
        assertPassed(tested.page());
        assertFalse(text(tested.page(), "test-subject").contains("@"), "SimpleSAMLphp's hash, not an address");
        assertTrue(tested.page().contains("Matches: " + SimpleSamlPhpServer.ADMIN_MAIL), tested.page()::body);
        tested.assertSignedRequestAndEncryptedAssertion();
    }

    /** Registers the organization's SP at SimpleSAMLphp from the SP metadata at its entity ID URL. */
    private void registerAtIdp(WebClient admin, String org, String extraPhp) {
        ssp.registerSp(spMetadata(admin, org), extraPhp);
    }

    /** The organization's SP metadata, from the URL its settings page shows (its SP entity ID). */
    private static String spMetadata(WebClient admin, String org) {
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        String spEntityId = between(settings.body(), "id=\"sp-entity-id\">", "<");
        Page spMetadata = new WebClient(URI.create(spEntityId)).get(spEntityId);
        assertEquals(200, spMetadata.status(), spMetadata::body);
        return spMetadata.body();
    }

    /**
     * "Update and Test" with SimpleSAMLphp's metadata URL and every other field of the form as the page gives it
     * (the hub's defaults).
     */
    private Page updateAndTest(WebClient admin, String org) {
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        Map<String, String> fields = formFields(settings, "saml");
        assertEquals("on", fields.get("signRequests"), "a new configuration signs its requests: " + fields);
        fields.put("metadataUrl", ssp.metadataUrl());
        Page saved = admin.submit(settings, "saml", "test", fields);
        assertEquals(302, saved.status(), saved::body);
        return saved;
    }

    private static void assertPassed(Page page) {
        assertEquals("passed", text(page, "test-outcome"), page::body);
    }

    /** What one trip through SimpleSAMLphp showed: the hub's page at the end and the messages on the way. */
    private record Through(Page page, String authnRequestUrl, String samlResponse) {

        void assertSignedRequestAndEncryptedAssertion() {
            String query = URI.create(authnRequestUrl).getRawQuery();
            assertTrue(query.contains("&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256")
                    && query.contains("&Signature="), "the AuthnRequest is signed: " + query);
            assertTrue(samlResponse.contains("EncryptedAssertion"), samlResponse);
            assertFalse(Pattern.compile("<(\\w+:)?Assertion[\\s>]").matcher(samlResponse).find(),
                    "no plain assertion beside the encrypted one: " + samlResponse);
            List<String> algorithms = all(samlResponse, "EncryptionMethod Algorithm=\"([^\"]+)\"");
            assertTrue(algorithms.stream().anyMatch(KEY_TRANSPORT::contains), algorithms::toString);
            assertTrue(algorithms.stream().anyMatch(CONTENT_ENCRYPTION::contains), algorithms::toString);
            assertFalse(algorithms.stream().anyMatch(a -> a.contains("rsa-1_5")), algorithms::toString);
        }

        String describe() {
            return "encryption " + all(samlResponse, "EncryptionMethod Algorithm=\"([^\"]+)\"") + ", response"
                    + " signature " + all(samlResponse, "SignatureMethod Algorithm=\"([^\"]+)\"") + ", digest "
                    + all(samlResponse, "DigestMethod Algorithm=\"([^\"]+)\"");
        }
    }

    /**
     * Through SimpleSAMLphp as a browser: its redirects, its login form when it shows one (as {@code user}), then its
     * auto-posted answer, posted to the hub's ACS (cross-site: without the hub's cookies), and the hub followed back.
     */
    private Through throughIdp(WebClient browser, WebClient atIdp, Page redirect, String user) {
        assertEquals(303, redirect.status(), redirect::body);
        String authnRequestUrl = redirect.location();
        assertTrue(authnRequestUrl.startsWith(ssp.signOnUrl() + "?"), authnRequestUrl);
        Page page = atIdp.follow(atIdp.get(authnRequestUrl));
        if (page.contains("name=\"password\"")) {
            assertTrue(user != null, () -> "SimpleSAMLphp asks for a login: " + page.body());
            Map<String, String> login = new LinkedHashMap<>(hiddenInputs(page.body()));
            login.put("username", user);
            login.put("password", SimpleSamlPhpServer.PASSWORD);
            String action = page.uri().toString().replaceFirst("\\?.*$", ""); // the form's action="?"
            Page after = atIdp.follow(atIdp.post(action, login));
            return answer(browser, after, authnRequestUrl);
        }
        return answer(browser, page, authnRequestUrl);
    }

    private Through answer(WebClient browser, Page page, String authnRequestUrl) {
        Matcher form = Pattern.compile("(?is)<form[^>]*method=\"post\"[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertTrue(form.find() && page.contains("SAMLResponse"), () -> "no SAML answer from SimpleSAMLphp ("
                + page.status() + " at " + page.uri() + "): " + page.body() + "\n" + ssp.logs());
        String acs = html(form.group(1));
        Map<String, String> fields = hiddenInputs(page.body());
        String samlResponse = new String(Base64.getMimeDecoder().decode(fields.get("SAMLResponse")),
                StandardCharsets.UTF_8);
        Page answered = new WebClient(URI.create(acs)).post(acs, fields);
        assertEquals(303, answered.status(), answered::body);
        Page back = browser.follow(browser.get(URI.create(acs).resolve(answered.location()).toString()));
        return new Through(back, authnRequestUrl, samlResponse);
    }

    /**
     * The fields of a Faces form as a browser would send them unchanged (text inputs with their values, textareas,
     * checked checkboxes as "on"), by id without the form's prefix; buttons and the form's own hidden fields left out.
     */
    private static Map<String, String> formFields(Page page, String formId) {
        String body = page.body();
        int start = body.indexOf("<form id=\"" + formId + "\"");
        assertTrue(start >= 0, "no form " + formId);
        String form = body.substring(start, body.indexOf("</form>", start));
        String prefix = formId + ":";
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("(?is)<input\\b[^>]*>").matcher(form);
        while (input.find()) {
            String tag = input.group();
            String name = attribute(tag, "name");
            String type = String.valueOf(attribute(tag, "type")).toLowerCase(java.util.Locale.ROOT);
            if (name == null || !name.startsWith(prefix) || type.equals("submit") || type.equals("hidden")) {
                continue;
            }
            if (type.equals("checkbox")) {
                if (attribute(tag, "checked") != null) {
                    fields.put(name.substring(prefix.length()), "on");
                }
            } else {
                String value = attribute(tag, "value");
                fields.put(name.substring(prefix.length()), value == null ? "" : html(value));
            }
        }
        Matcher textarea = Pattern.compile("(?is)<textarea\\b[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</textarea>")
                .matcher(form);
        while (textarea.find()) {
            if (textarea.group(1).startsWith(prefix)) {
                fields.put(textarea.group(1).substring(prefix.length()), html(textarea.group(2)));
            }
        }
        return fields;
    }

    private static String text(Page page, String id) {
        return html(between(page.body(), "id=\"" + id + "\">", "<"));
    }

    private static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
