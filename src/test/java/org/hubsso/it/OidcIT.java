package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import org.hubsso.it.WebClient.Page;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-organization OpenID Connect SSO over real HTTP against the deployed WAR, with mock-oauth2-server on loopback
 * as the OpenID provider: settings with discovery, "Update and Test", the enable guard, sign-in back to the page;
 * hostile token responses (crafted with nimbus-jose-jwt) each refused with its reason code and nothing created;
 * an unreachable or silent IdP answered with a clear error.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OidcIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    static final String ISSUER_ID = "hub-it";
    static final String OTHER_ISSUER_ID = "other-tenant";
    /** The OP's signing key, given to it, so crafted tokens can carry a valid signature too. */
    static RSAKey opKey;
    static MockOAuth2Server op;
    static String issuer;

    @ArquillianResource
    URL base;

    @BeforeAll
    static void startOp() throws IOException {
        try {
            opKey = new RSAKeyGenerator(2048).keyID(ISSUER_ID).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        op = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(List.of(opKey))), Set.of(), new MockWebServerWrapper()),
                new CraftedTokenResponses());
        op.start(InetAddress.getByName("127.0.0.1"), 0);
        issuer = "http://127.0.0.1:" + op.baseUrl().port() + "/" + ISSUER_ID;
    }

    @AfterAll
    static void stopOp() {
        if (op != null) {
            op.shutdown();
        }
    }

    /** What the hub sent the browser to the OP with. */
    record Sent(URI authorize, Map<String, String> params) {
        String state() {
            return params.get("state");
        }

        String nonce() {
            return params.get("nonce");
        }
    }

    @Test
    void adminTestsEnablesAndMembersSignInThroughTheOp() {
        String s = HubFixtures.suffix();
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "oidc");
        assertEquals(302, admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org,
                "kind", "model", "name", "secret", "visibility", "private", "readme", "classified")).status());

        // The redirect URI to register, by Organization ID.
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        String redirectUri = between(settings.body(), "id=\"oidc-redirect-uri\">", "<");
        assertTrue(redirectUri.endsWith("/organizations/" + between(settings.body(), "id=\"sso-org-id\">", "<")
                + "/oidc/callback"), redirectUri);

        // Update and Test: discovery fetched and checked, the secret sealed and never shown again.
        String clientSecret = "s3cret-" + UUID.randomUUID();
        Page saved = updateAndTest(admin, org, "hub-" + s, clientSecret);
        assertEquals(302, saved.status(), saved::body);
        Sent sent = continueToOp(admin, saved);
        assertEquals("code", sent.params().get("response_type"));
        assertEquals("S256", sent.params().get("code_challenge_method"));
        assertNotNull(sent.params().get("code_challenge"));
        assertNotNull(sent.nonce());
        assertEquals(redirectUri, sent.params().get("redirect_uri"));
        assertTrue(sent.params().get("scope").contains("openid"));
        Page tested = signInAtOp(admin, sent, "admin-" + s, "admin@hub.localhost", true);
        assertTrue(tested.path().endsWith("/settings/sso?tested=1"), tested.path());
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
        assertTrue(tested.contains("hub-admins"), "claims shown as JSON");
        assertTrue(tested.contains("(a secret is stored; leave blank to keep it)"));
        assertFalse(tested.contains(clientSecret), "the client secret is never shown");
        assertFalse(tested.contains("id=\"sso-state\">enabled"), "a test enables nothing");

        // Enable; the admin passes the OP at once and is back on the settings.
        Page enabled = admin.submit(tested, "state", "enable", Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        Page back = signInAtOp(admin, continueToOp(admin, enabled), "admin-" + s, "admin@hub.localhost", true);
        assertEquals(200, back.status(), back::body);
        assertTrue(back.contains("id=\"sso-state\">enabled"));
        assertTrue(back.contains("id=\"sso-protocol\">OpenID Connect"));

        // A member without an SSO session gets SSO_REQUIRED; through the OP she is back on the page.
        WebClient alice = member("alice-" + s);
        HubFixtures.addMember(admin, org, alice.username(), "read");
        Page required = alice.get("/" + org + "/secret");
        assertEquals("sso-required", required.header("X-Hub-Access"));
        Sent aliceSent = sent(alice.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret"));
        Page repo = signInAtOp(alice, aliceSent, "alice-" + s, alice.username() + "@example.test", true);
        assertEquals(200, repo.status(), repo::body);
        assertTrue(repo.path().endsWith("/" + org + "/secret"), repo.path());
        assertTrue(repo.contains("classified"));

        // The audit trail names the email the OP vouched for, beside the subject.
        assertTrue(HubFixtures.auditOf(admin, org, "event=sso.login&member=" + alice.username()).stream().anyMatch(r ->
                "success".equals(r.getString("outcome")) && r.getJsonObject("detail").getString("idpEmail", "")
                        .equals(alice.username() + "@example.test") && r.getJsonObject("detail").containsKey(
                        "idpSubject")), "idpEmail in the login record");

        // The same callback again (state, nonce and verifier were used once): refused, nothing more happens.
        Page again = alice.follow(alice.get(lastCallback));
        assertEquals("state-missing", again.header("X-Hub-Sso-Failure"));

        // A non-member joins with the default role.
        WebClient bob = member("bob-" + s);
        Page joined = signInAtOp(bob, sent(bob.get("/organizations/" + org + "/sso")), "bob-" + s,
                bob.username() + "@example.test", true);
        assertTrue(joined.contains("id=\"my-role\">read<"), joined.body());

        // Role mapping on a nested claim as issued: resource_access.hub.roles. The admin's tested claims keep admin.
        Page mapping = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "roles", "save",
                Map.of("enabled", "on", "rolePath", "resource_access.hub.roles", "roleTable",
                        "hub-admin = admin\nhub-writer = write", "profile", ""));
        assertEquals(302, mapping.status(), mapping::body);
        hubRoles = List.of("hub-reader", "hub-writer");
        Page aliceMapped = signInAtOp(alice, sent(alice.get("/organizations/" + org + "/sso")), "alice-" + s,
                alice.username() + "@example.test", true);
        assertTrue(aliceMapped.contains("id=\"my-role\">write<"), aliceMapped.body());
        hubRoles = List.of("hub-admin");
    }

    /**
     * The hub calls no IdP endpoint at a link-local (a cloud's metadata service), private or multicast address,
     * checked when the settings are saved: an issuer, token endpoint or JWKS there is refused and nothing is saved.
     * (The same check at every call, against DNS rebinding, is {@code OutboundHttpTest}'s.) Loopback is allowed in
     * these tests by the operator's setting, as the quick start does.
     */
    @Test
    void idpEndpointsAtLinkLocalOrPrivateAddressesAreRefused() throws Exception {
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "oidc-ssrf");
        com.sun.net.httpserver.HttpServer discovery = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        java.util.concurrent.atomic.AtomicReference<String> token = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> jwks = new java.util.concurrent.atomic.AtomicReference<>();
        String self = "http://127.0.0.1:";
        discovery.createContext("/", exchange -> {
            String issuerHere = self + exchange.getLocalAddress().getPort() + "/idp";
            byte[] body = ("{\"issuer\":\"" + issuerHere + "\",\"authorization_endpoint\":\"" + issuerHere
                    + "/auth\",\"token_endpoint\":\"" + token.get() + "\",\"jwks_uri\":\"" + jwks.get()
                    + "\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                    + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        discovery.start();
        try {
            String issuerHere = self + discovery.getAddress().getPort() + "/idp";
            Map<String, String> refused = new LinkedHashMap<>();
            token.set(issuerHere + "/token");
            jwks.set("https://169.254.169.254/latest/meta-data/jwks");
            refused.put("a jwks_uri at the metadata service", saveOidc(admin, org, issuerHere));
            jwks.set(issuerHere + "/jwks");
            token.set("https://10.20.30.40/token");
            refused.put("a token endpoint at a private address", saveOidc(admin, org, issuerHere));
            refused.put("an issuer at the metadata service", saveOidc(admin, org, "https://169.254.169.254/idp"));
            refused.put("an issuer at a private address", saveOidc(admin, org, "https://192.168.7.1/idp"));
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("a jwks_uri at the metadata service", "169.254.169.254, a link-local address");
            expected.put("a token endpoint at a private address", "10.20.30.40, a private address");
            expected.put("an issuer at the metadata service", "169.254.169.254, a link-local address");
            expected.put("an issuer at a private address", "192.168.7.1, a private address");
            expected.forEach((what, message) -> assertTrue(refused.get(what).contains(message),
                    what + ": " + refused.get(what)));
            Page after = admin.get("/organizations/" + org + "/settings/sso");
            assertFalse(after.contains("id=\"sso-protocol\""), "nothing was saved");
            assertTrue(HubFixtures.auditOf(admin, org, "event=sso.settings").isEmpty(), "nothing was saved");
        } finally {
            discovery.stop(0);
        }
    }

    /** Saves the OIDC form with {@code issuerUrl}; returns the field error it got (it must get one). */
    private static String saveOidc(WebClient admin, String org, String issuerUrl) {
        Page page = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "oidc", "test",
                oidcFields(issuerUrl, "client", "secret"));
        assertEquals(200, page.status(), page::body);
        return between(page.body(), "class=\"field-error\">", "<");
    }

    /** One hostile token response: the ID token it carries and the reason code it must be refused with. */
    record Case(String name, String reason, BiFunction<Sent, Hostile, String> idToken) {

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What the hostile cases share, set up once per class: an organization enforcing SSO through the OP, whose admin
     * has an SSO session (to read the audit log); eve and mallory, members without one; a second tenant with its own
     * OP; keys an attacker may hold; a loopback listener a {@code jku} header may point at.
     */
    record Hostile(String suffix, WebClient admin, String org, String orgId, String clientId, WebClient eve,
            WebClient mallory, String otherIssuer, RSAKey stranger, RSAKey attacker, RSAKey traversal,
            String earlierNonce, Instant now, LoopbackListener jku) {
    }

    static Hostile hostile;

    /**
     * The OIDC cases of the attack catalogue (numbered as there) that craft the token response: each is served by the
     * OP for one sign-in of eve, a member without an SSO session.
     */
    static List<Case> idTokenCases() {
        return List.of(

            new Case("13 alg none", "id-token-algorithm",
                    (sent, h) -> new PlainJWT(claims(sent, h.clientId()).build()).serialize()),
            new Case("14 HS256 keyed with the OP's public key", "id-token-algorithm",
                    (sent, h) -> hmacWithPublicKey(opKey, claims(sent, h.clientId()))),
            new Case("15 bit-flipped signature", "signature-invalid",
                    (sent, h) -> flipSignature(signed(opKey, claims(sent, h.clientId())))),
            new Case("15 ES256 with an all-zero signature", "id-token-key-unknown",
                    (sent, h) -> zeroEs256(claims(sent, h.clientId()))),
            new Case("15 signed by a foreign key under the OP's kid", "signature-invalid",
                    (sent, h) -> signed(h.stranger(), claims(sent, h.clientId()))),
            new Case("16 attacker key embedded as jwk header", "id-token-key-unknown",
                    (sent, h) -> signedWithHeader(h.attacker(), claims(sent, h.clientId()),
                            hd -> hd.jwk(h.attacker().toPublicJWK()))),
            new Case("16 jku pointing at a loopback listener", "id-token-key-unknown",
                    (sent, h) -> signedWithHeader(h.attacker(), claims(sent, h.clientId()),
                            hd -> hd.jwkURL(h.jku().url()))),
            new Case("16 kid with path traversal and SQL", "id-token-key-unknown",
                    (sent, h) -> signed(h.traversal(), claims(sent, h.clientId()))),
            new Case("17 another issuer", "issuer-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).issuer(issuer + "-other"))),
            new Case("17 the issuer with a trailing slash", "issuer-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).issuer(issuer + "/"))),
            new Case("17 the other tenant's issuer", "issuer-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).issuer(h.otherIssuer()))),
            new Case("18 another audience", "audience-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).audience("another-client"))),
            new Case("18 no audience", "audience-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).audience((String) null))),
            new Case("18 an extra untrusted audience", "authorized-party-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).audience(List.of(h.clientId(), "another")))),
            new Case("18 azp of another client", "authorized-party-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("azp", "another-client"))),
            new Case("19 expired", "expired",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId())
                            .issueTime(Date.from(h.now().minusSeconds(3600)))
                            .expirationTime(Date.from(h.now().minusSeconds(600))))),
            new Case("19 no exp", "malformed",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).expirationTime(null))),
            new Case("19 no iat", "malformed",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).issueTime(null))),
            new Case("19 iat in the future", "not-yet-valid",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId())
                            .issueTime(Date.from(h.now().plusSeconds(900))))),
            new Case("20 wrong nonce", "nonce-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("nonce", "n-" + h.suffix()))),
            new Case("20 no nonce", "nonce-missing",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("nonce", null))),
            new Case("20 the nonce of an earlier sign-in", "nonce-mismatch",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("nonce", h.earlierNonce()))),
            new Case("21 no sub", "malformed",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).subject(null))),
            new Case("25 a logout token offered as ID token", "nonce-missing",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("nonce", null).claim("sid", "s1")
                            .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout",
                                    Map.of())))),
            new Case("25 an access token offered as ID token", "audience-mismatch",
                    (sent, h) -> signedWithHeader(opKey, claims(sent, h.clientId()).audience("https://api.example")
                            .claim("scope", "openid"), hd -> hd.type(new JOSEObjectType("at+jwt")))),
            new Case("26 JWE with a huge PBES2 count", "id-token-algorithm", (sent, h) -> pbes2Bomb()),
            new Case("26 ID token over 16 KB", "request-too-large",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("pad", "x".repeat(20_000)))),
            new Case("26 deeply nested claims", "malformed",
                    (sent, h) -> signedRaw(opKey, withDeepClaim(claims(sent, h.clientId()), 5000))),
            new Case("28 the other tenant's token (its key, issuer and audience)", "id-token-key-unknown",
                    (sent, h) -> signed(op.issueToken(OTHER_ISSUER_ID, "other-" + h.suffix(),
                            new DefaultOAuth2TokenCallback(OTHER_ISSUER_ID, "eve", "JWT",
                                    List.of("other-" + h.suffix()), Map.of("nonce", sent.nonce(), "email",
                                    "eve@example.test", "email_verified", true), 300)))),
            new Case("29 email not verified", "email-not-verified",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("email_verified", false))),
            new Case("29 email_verified as the string \"true\"", "email-not-verified",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("email_verified", "true"))),
            new Case("29 no email", "email-missing",
                    (sent, h) -> signed(opKey, claims(sent, h.clientId()).claim("email", null))));
    }

    /**
     * Each crafted token response is refused with its reason code, a 4xx page without internals, audited as eve's
     * failed sign-in, and creates nothing; the token was asked for with the PKCE verifier and the client secret, and
     * the jku URL was never fetched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("idTokenCases")
    void hostileIdTokensAreRefusedAndChangeNothing(Case c) {
        Hostile h = hostile();
        List<String> trailBefore = HubFixtures.auditLines(base, h.org());
        List<JsonObject> before = HubFixtures.auditOf(h.admin(), h.org(), "event=sso.login&member="
                + h.eve().username());
        Sent sent = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
        Map<String, Object> tokens = Map.of("access_token", "at-" + h.suffix(), "token_type", "Bearer",
                "expires_in", 300, "id_token", c.idToken().apply(sent, h));
        CRAFTED.add(request -> json(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(tokens)));
        Page answer = h.eve().follow(h.eve().get(callback(sent, "code-" + h.suffix())));

        assertEquals(c.reason(), answer.header("X-Hub-Sso-Failure"));
        assertTrue(answer.status() >= 400 && answer.status() < 500, "status " + answer.status());
        assertFalse(answer.contains("Exception"), answer::body);
        // Audited once, as eve's failed sign-in (she was signed in to the hub), with its reason.
        List<JsonObject> after = HubFixtures.auditOf(h.admin(), h.org(), "event=sso.login&member="
                + h.eve().username());
        assertEquals(before.size() + 1, after.size(), after::toString);
        JsonObject added = after.get(after.size() - 1);
        assertEquals("failure", added.getString("outcome"));
        assertEquals(c.reason(), added.getString("reason", null));
        assertEquals(h.eve().username(), added.getString("actor", null));
        // The hub redeemed the code with its PKCE verifier and its client secret (HTTP Basic); no SSO session.
        assertTrue(lastTokenRequest.contains("code_verifier="), lastTokenRequest);
        assertTrue(lastTokenRequest.startsWith("Basic "), "client_secret_basic");
        assertEquals(0, h.jku().connections(), "the jku URL was never fetched");
        assertEquals("sso-required", h.eve().get("/" + h.org()).header("X-Hub-Access"), "no SSO session was created");
        List<String> trail = HubFixtures.auditLines(base, h.org());
        List<String> addedLines = trail.subList(0, trail.size() - trailBefore.size());
        assertTrue(addedLines.stream().anyMatch(line -> line.startsWith("sso.login failure " + c.reason() + " ")),
                addedLines::toString);
        assertTrue(addedLines.stream().noneMatch(line -> line.startsWith("sso.login success")
                || line.startsWith("sso.join")), "no success, no join: " + addedLines);
    }

    /** A hostile callback: how it is made (eve's browser, mallory's, the OP's) and the reason it must get. */
    record Flow(String name, String reason, Function<Hostile, Page> answer) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** The catalogue's cases of the callback itself: state, issuer, code injection, other flows, sizes, errors. */
    static List<Flow> callbackCases() {
        return List.of(
            new Flow("22 no state and no sign-in", "state-missing", h -> h.eve().get("/organizations/" + h.orgId()
                    + "/oidc/callback?code=x")),
            new Flow("22 the state of an earlier sign-in", "state-mismatch", h -> {
                Sent first = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.eve().follow(h.eve().get(callback(first, "code-" + h.suffix())));
            }),
            new Flow("22 another session's state", "state-missing", h -> {
                Sent evesSent = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.mallory().follow(h.mallory().get(callback(evesSent, "code-" + h.suffix())));
            }),
            new Flow("23 iss of another OP in the authorization response", "issuer-mismatch", h -> {
                Sent mixUp = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.eve().follow(h.eve().get(callback(mixUp, "code-" + h.suffix()) + "&iss="
                        + java.net.URLEncoder.encode(h.otherIssuer(), StandardCharsets.UTF_8)));
            }),
            // The attacker's own code injected into eve's callback: redeemed with eve's PKCE verifier.
            new Flow("24 an attacker's code in the victim's callback", "token-exchange-failed", h -> {
                Sent malloryAtOrg = sent(h.mallory().get("/organizations/" + h.org() + "/sso"));
                Page issued = new WebClient(malloryAtOrg.authorize()).get(malloryAtOrg.authorize().toString());
                String injected = URI.create(issued.location()).getQuery().replaceAll(".*code=([^&]*).*", "$1");
                Sent victim = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.eve().follow(h.eve().get(callback(victim, URLDecoder.decode(injected,
                        StandardCharsets.UTF_8))));
            }),
            new Flow("25 logout_token at the callback", "malformed", h -> {
                Sent logout = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.eve().follow(h.eve().get(callback(logout, "c") + "&logout_token=x"));
            }),
            new Flow("implicit-flow id_token at the callback", "malformed", h -> {
                Sent implicit = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                return h.eve().follow(h.eve().get(callback(implicit, "c") + "&id_token=x"));
            }),
            // 7: a token response far larger than any real one is not read whole.
            new Flow("7 a token response of 2 MB", "request-too-large", h -> {
                Sent huge = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                String hugeTokens = "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\""
                        + signed(opKey, claims(huge, h.clientId())) + "\",\"pad\":\"" + "x".repeat(2_000_000)
                        + "\"}";
                CRAFTED.add(request -> json(hugeTokens));
                return h.eve().follow(h.eve().get(callback(huge, "code-" + h.suffix())));
            }),
            new Flow("IdP error response", "idp-error", h -> {
                Sent denied = sent(h.eve().get("/organizations/" + h.org() + "/sso"));
                Page page = h.eve().follow(h.eve().get(redirectUri(denied) + "?error=access_denied&state="
                        + denied.state()));
                assertTrue(page.contains("access_denied"), page::body);
                return page;
            }));
    }

    /** Each hostile callback is refused with its reason code; eve gets no SSO session, mallory does not join. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("callbackCases")
    void hostileCallbacksAreRefusedAndChangeNothing(Flow c) {
        Hostile h = hostile();
        Page answer = c.answer().apply(h);
        assertEquals(c.reason(), answer.header("X-Hub-Sso-Failure"));
        assertTrue(answer.status() >= 400 && answer.status() < 500, "status " + answer.status());
        assertEquals("sso-required", h.eve().get("/" + h.org()).header("X-Hub-Access"), "still no SSO session");
        assertFalse(h.mallory().get("/" + h.org()).contains("id=\"my-role\""), "mallory did not join");
    }

    private Hostile hostile() {
        if (hostile != null) {
            return hostile;
        }
        try {
            String s = HubFixtures.suffix();
            WebClient admin = client();
            admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
            String org = HubFixtures.newOrg(admin, "oidc-bad");
            String orgId = orgId(admin, org);
            String clientId = "hub-" + s;
            signInAtOp(admin, continueToOp(admin, updateAndTest(admin, org, clientId, "secret-" + s)), "a",
                    "admin@hub.localhost", true);
            // Eve and mallory are members (added before SSO is enforced), without an SSO session.
            WebClient eve = member("eve-" + s);
            HubFixtures.addMember(admin, org, eve.username(), "read");
            WebClient mallory = member("mallory-" + s);
            admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable",
                    Map.of()));
            // The admin passes the OP: the audit log is the organization's content too.
            signInAtOp(admin, sent(admin.get("/organizations/" + org + "/sso")), "a", "admin@hub.localhost", true);
            // A second tenant with its own OP (another issuer of the mock: its own key and kid).
            String otherIssuer = "http://127.0.0.1:" + op.baseUrl().port() + "/" + OTHER_ISSUER_ID;
            String other = HubFixtures.newOrg(admin, "oidc-other");
            signInAtOp(admin, continueToOp(admin, admin.submit(admin.get("/organizations/" + other
                    + "/settings/sso"), "oidc", "test", oidcFields(otherIssuer, "other-" + s, "secret-" + s))),
                    OTHER_ISSUER_ID, "a", "admin@hub.localhost", true);

            RSAKey published = opSigningKey();
            assertEquals(opKey.toRSAPublicKey().getModulus(), published.toRSAPublicKey().getModulus(),
                    "the OP signs with the key the test gave it");
            RSAKey stranger = new RSAKeyGenerator(2048).keyID(opKey.getKeyID()).generate();
            RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker-" + s).generate();
            RSAKey traversal = new RSAKeyGenerator(2048).keyID("../../../../etc/passwd' OR '1'='1").generate();
            String earlierNonce = sent(admin.get("/organizations/" + org + "/sso")).nonce();
            hostile = new Hostile(s, admin, org, orgId, clientId, eve, mallory, otherIssuer, stranger, attacker,
                    traversal, earlierNonce, Instant.now(), new LoopbackListener());
            return hostile;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the hostile cases", e);
        }
    }

    @AfterAll
    static void closeListener() throws IOException {
        if (hostile != null) {
            hostile.jku().close();
        }
    }

    /**
     * 29: the IdP's email must equal a verified email of the account; ASCII letters compare case-insensitively,
     * nothing else is folded, so Unicode look-alikes never match (and nothing is created).
     */
    @Test
    void emailsMatchOnlyAsDesigned() {
        String s = HubFixtures.suffix();
        String org = enabledOrg("oidc-mail", "mail-" + s);
        WebClient kim = member("kim-" + s);
        String email = kim.username() + "@example.test";
        for (String lookAlike : List.of("\u212A" + email.substring(1), "\uFF4B" + email.substring(1),
                email.replace("example", "ex\u0430mple"), email + "\u200B")) {
            Page refused = signInAtOp(kim, sent(kim.get("/organizations/" + org + "/sso")), "kim", lookAlike, true);
            assertEquals("email-mismatch", refused.header("X-Hub-Sso-Failure"), lookAlike);
            assertFalse(kim.get("/" + org).contains("id=\"my-role\""), "no join for " + lookAlike);
        }
        Page matched = signInAtOp(kim, sent(kim.get("/organizations/" + org + "/sso")), "kim",
                email.toUpperCase(java.util.Locale.ROOT), true);
        assertEquals(200, matched.status(), matched::body);
        assertTrue(kim.get("/" + org).contains("id=\"my-role\">read<"), "the ASCII upper-case form matches");
    }

    /** 31: whatever returnTo says, the way back stays on this site. */
    @Test
    void returnToNeverLeavesTheSite() {
        String s = HubFixtures.suffix();
        String org = enabledOrg("oidc-rt", "rt-" + s);
        WebClient zoe = member("zoe-" + s);
        for (String evil : List.of("//evil.test/x", "/\\evil.test", "https://evil.test/", "javascript:alert(1)",
                "http:/evil.test")) {
            Sent sent = sent(zoe.get("/organizations/" + org + "/sso?returnTo="
                    + java.net.URLEncoder.encode(evil, StandardCharsets.UTF_8)));
            Page landed = signInAtOp(zoe, sent, "zoe", zoe.username() + "@example.test", true);
            assertEquals(200, landed.status(), evil);
            assertEquals(URI.create(base.toString()).getAuthority(), landed.uri().getAuthority(), evil);
            assertTrue(landed.path().endsWith("/" + org), evil + " landed on " + landed.uri());
        }
        // An encoded slash stays a path on this site (answered 404 here), never another host.
        Sent encoded = sent(zoe.get("/organizations/" + org + "/sso?returnTo=%2F%252F%252Fevil.test"));
        Page landed = signInAtOp(zoe, encoded, "zoe", zoe.username() + "@example.test", true);
        assertEquals(URI.create(base.toString()).getAuthority(), landed.uri().getAuthority());
    }

    @Test
    void anUnreachableOrSilentIdpGivesAClearErrorInTime() throws Exception {
        String s = HubFixtures.suffix();
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "oidc-down");
        Page settings = admin.get("/organizations/" + org + "/settings/sso");

        // Nothing listens: refused at once.
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = free.getLocalPort();
        }
        Page refused = admin.submit(settings, "oidc", "test", oidcFields("http://127.0.0.1:" + closed + "/realm",
                "c", "x"));
        assertEquals(200, refused.status());
        assertTrue(refused.contains("connection refused"), refused.body());

        // Accepts connections but never answers: the settings page answers within the timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closedNow) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            Page slow = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "oidc", "test",
                    oidcFields("http://127.0.0.1:" + silent.getLocalPort() + "/realm", "c", "x"));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(slow.contains("no answer in time"), slow.body());
            System.out.println("OidcIT: silent discovery answered by the settings page after " + millis + " ms");
        }

        // Configured and tested against the OP, then the OP's token endpoint goes silent during a login.
        String clientId = "hub-" + s;
        signInAtOp(admin, continueToOp(admin, updateAndTest(admin, org, clientId, "secret-" + s)), "a",
                "admin@hub.localhost", true);
        admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of()));
        WebClient carol = member("carol-" + s);
        Sent sent = sent(carol.get("/organizations/" + org + "/sso"));
        CRAFTED.add(request -> {
            try {
                Thread.sleep(8_000); // longer than the hub's read timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return json("{}");
        });
        long start = System.nanoTime();
        Page stalled = carol.follow(carol.get(callback(sent, "code-" + s)));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals("idp-unreachable", stalled.header("X-Hub-Sso-Failure"), stalled.body());
        System.out.println("OidcIT: silent token endpoint answered by the callback after " + millis + " ms");
        assertFalse(carol.get("/" + org).contains("id=\"my-role\""));
    }

    // ---- the browser's trip through the OP ---------------------------------------------------------------

    /** A new organization whose OIDC SSO (client {@code clientId} at the OP) the admin has tested and enabled. */
    private String enabledOrg(String prefix, String clientId) {
        WebClient admin = client();
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, prefix);
        signInAtOp(admin, continueToOp(admin, updateAndTest(admin, org, clientId, "secret-" + clientId)), "a",
                "admin@hub.localhost", true);
        admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of()));
        return org;
    }

    private String lastCallback;

    /** The roles the OP issues in the nested claim resource_access.hub.roles at the next sign-in. */
    private List<String> hubRoles = List.of("hub-admin");

    /** At the OP: the user signs in (mock-oauth2-server issues a code for these claims), back to the hub. */
    private Page signInAtOp(WebClient browser, Sent sent, String subject, String email, boolean emailVerified) {
        return signInAtOp(browser, sent, ISSUER_ID, subject, email, emailVerified);
    }

    private Page signInAtOp(WebClient browser, Sent sent, String issuerId, String subject, String email,
            boolean emailVerified) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", emailVerified);
        claims.put("groups", List.of("hub-admins", "staff"));
        claims.put("resource_access", Map.of("hub", Map.of("roles", hubRoles)));
        op.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT",
                List.of(sent.params().get("client_id")), claims, 300));
        Page atOp = new WebClient(sent.authorize()).get(sent.authorize().toString());
        assertEquals(302, atOp.status(), atOp::body);
        lastCallback = atOp.location();
        return browser.follow(browser.get(lastCallback));
    }

    private static Sent continueToOp(WebClient browser, Page afterPost) {
        Page page = browser.follow(afterPost);
        String refresh = between(page.body(), "http-equiv=\"refresh\" content=\"0;url=", "\"").replace("&amp;", "&");
        return sent(browser.get(page.uri().resolve(refresh).toString()));
    }

    static Sent sent(Page redirect) {
        assertEquals(303, redirect.status(), redirect::body);
        URI location = URI.create(redirect.location());
        assertEquals("127.0.0.1", location.getHost(), "the OP's authorization endpoint");
        Map<String, String> params = new HashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return new Sent(location, params);
    }

    private static String redirectUri(Sent sent) {
        return sent.params().get("redirect_uri");
    }

    private static String callback(Sent sent, String code) {
        return redirectUri(sent) + "?code=" + code + "&state=" + sent.state();
    }

    private Page updateAndTest(WebClient admin, String org, String clientId, String secret) {
        return admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "oidc", "test",
                oidcFields(issuer, clientId, secret));
    }

    static Map<String, String> oidcFields(String issuerUrl, String clientId, String secret) {
        return Map.of("issuerUrl", issuerUrl, "clientId", clientId, "clientSecret", secret,
                "scopes", "openid email profile", "emailClaim", "email", "requireEmailVerified", "on",
                "clockSkew", "120");
    }

    private String orgId(WebClient admin, String org) {
        return between(admin.get("/organizations/" + org + "/settings/sso").body(), "id=\"sso-org-id\">", "<");
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    /** Token responses the next token requests get instead of the OP's own. */
    static final Queue<Function<OAuth2HttpRequest, OAuth2HttpResponse>> CRAFTED = new ConcurrentLinkedQueue<>();
    static volatile String lastTokenRequest = "";

    /** An extra route of the OP: serves a crafted token response when one is queued. */
    static final class CraftedTokenResponses implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return !CRAFTED.isEmpty() && "POST".equals(request.getMethod())
                    && request.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            lastTokenRequest = request.getHeaders().get("Authorization") + " " + request.getBody();
            return CRAFTED.remove().apply(request);
        }
    }

    private static OAuth2HttpResponse json(String body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200, body, null);
    }

    private static RSAKey opSigningKey() throws Exception {
        JWKSet published = JWKSet.load(URI.create(issuer + "/jwks").toURL());
        return (RSAKey) published.getKeys().get(0);
    }

    /** A valid ID token's claims for this sign-in; each case changes one thing. */
    private static JWTClaimsSet.Builder claims(Sent sent, String clientId) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("eve").audience(clientId)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", sent.nonce()).claim("email", "eve@example.test").claim("email_verified", true);
    }

    /** Signed with {@code key}, naming its kid. */
    private static String signed(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signed(SignedJWT jwt) {
        return jwt.serialize();
    }

    private static String signedWithHeader(RSAKey key, JWTClaimsSet.Builder claims,
            java.util.function.UnaryOperator<JWSHeader.Builder> header) {
        try {
            SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(key.getKeyID())).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signature's bytes XORed with 0x5A (the OIDF conformance suite's InvalidateIdTokenSignature). */
    private static String flipSignature(String jwt) {
        String[] parts = jwt.split("\\.");
        byte[] signature = java.util.Base64.getUrlDecoder().decode(parts[2]);
        for (int i = 0; i < signature.length; i++) {
            signature[i] ^= 0x5A;
        }
        return parts[0] + "." + parts[1] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signature);
    }

    /** ES256 with r = s = 0 (CVE-2022-21449), under the OP's kid. */
    private static String zeroEs256(JWTClaimsSet.Builder claims) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + ISSUER_ID + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString(new byte[64]);
    }

    /** A JWE (compact form, never decryptable) whose PBES2 iteration count would burn CPU if anyone tried. */
    private static String pbes2Bomb() {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\","
                + "\"p2s\":\"c2FsdHNhbHQ\",\"p2c\":2147483647}").getBytes(StandardCharsets.UTF_8));
        return header + "." + b64.encodeToString(new byte[24]) + "." + b64.encodeToString(new byte[12]) + "."
                + b64.encodeToString(new byte[32]) + "." + b64.encodeToString(new byte[16]);
    }

    /** The claims as JSON text plus a claim nested {@code depth} arrays deep (written as text, not serialized). */
    private static String withDeepClaim(JWTClaimsSet.Builder claims, int depth) {
        String json = claims.build().toString();
        return json.substring(0, json.length() - 1) + ",\"deep\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
    }

    private static String signedRaw(RSAKey key, String payload) {
        try {
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(key.getKeyID()).build(), new com.nimbusds.jose.Payload(payload));
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loopback listener that counts the connections it gets (it should get none). */
    static final class LoopbackListener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger connections = new AtomicInteger();

        LoopbackListener() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket accepted = socket.accept()) {
                            connections.incrementAndGet();
                        }
                    }
                } catch (IOException closed) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks.json");
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** HS256 with the OP's public key as the HMAC secret: the classic key-confusion attack. */
    private static String hmacWithPublicKey(RSAKey opKey, JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(opKey.getKeyID()).build(),
                    claims.build());
            jwt.sign(new MACSigner(opKey.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private WebClient member(String username) {
        return HubFixtures.verifiedMember(URI.create(base.toString()), username);
    }


    private WebClient client() {
        return new WebClient(URI.create(base.toString()));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in " + text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
