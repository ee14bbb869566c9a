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
import java.io.File;
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
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import org.hubsso.it.WebClient.Page;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")))
                .addClass(TestSupportServlet.class);
    }

    static final String ISSUER_ID = "hub-it";
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
        String s = HubIT.suffix();
        WebClient admin = client();
        admin.signIn(HubIT.ADMIN, HubIT.ADMIN_PASSWORD);
        String org = HubIT.newOrg(admin, "oidc");
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
        HubIT.addMember(admin, org, alice.username(), "read");
        Page required = alice.get("/" + org + "/secret");
        assertEquals("sso-required", required.header("X-Hub-Access"));
        Sent aliceSent = sent(alice.get("/organizations/" + org + "/sso?returnTo=/" + org + "/secret"));
        Page repo = signInAtOp(alice, aliceSent, "alice-" + s, alice.username() + "@example.test", true);
        assertEquals(200, repo.status(), repo::body);
        assertTrue(repo.path().endsWith("/" + org + "/secret"), repo.path());
        assertTrue(repo.contains("classified"));

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

    @Test
    void hostileAnswersAreRefusedAndChangeNothing() throws Exception {
        String s = HubIT.suffix();
        WebClient admin = client();
        admin.signIn(HubIT.ADMIN, HubIT.ADMIN_PASSWORD);
        String org = HubIT.newOrg(admin, "oidc-bad");
        String orgId = orgId(admin, org);
        String clientId = "hub-" + s;
        signInAtOp(admin, continueToOp(admin, updateAndTest(admin, org, clientId, "secret-" + s)), "a",
                "admin@hub.localhost", true);
        admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "state", "enable", Map.of()));

        RSAKey published = opSigningKey();
        assertEquals(opKey.toRSAPublicKey().getModulus(), published.toRSAPublicKey().getModulus(),
                "the OP signs with the key the test gave it");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(opKey.getKeyID()).generate();
        RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("not-published-" + s).generate();

        Map<String, Function<Sent, String>> cases = new LinkedHashMap<>();
        cases.put("issuer-mismatch", sent -> signed(opKey, claims(sent, clientId).issuer(issuer + "-other")));
        cases.put("audience-mismatch", sent -> signed(opKey, claims(sent, clientId).audience("another-client")));
        cases.put("authorized-party-mismatch", sent -> signed(opKey, claims(sent, clientId)
                .audience(List.of(clientId, "another-client")).claim("azp", "another-client")));
        cases.put("expired", sent -> signed(opKey, claims(sent, clientId)
                .issueTime(Date.from(Instant.now().minusSeconds(3600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600)))));
        cases.put("not-yet-valid", sent -> signed(opKey, claims(sent, clientId)
                .issueTime(Date.from(Instant.now().plusSeconds(900)))));
        cases.put("nonce-missing", sent -> signed(opKey, claims(sent, clientId).claim("nonce", null)));
        cases.put("nonce-mismatch", sent -> signed(opKey, claims(sent, clientId).claim("nonce", "n-" + s)));
        cases.put("id-token-algorithm", sent -> new PlainJWT(claims(sent, clientId).build()).serialize());
        cases.put("id-token-algorithm/hs256", sent -> hmacWithPublicKey(opKey, claims(sent, clientId)));
        cases.put("id-token-key-unknown", sent -> signed(unknownKid, claims(sent, clientId)));
        cases.put("signature-invalid", sent -> signed(stranger, claims(sent, clientId)));
        cases.put("email-not-verified", sent -> signed(opKey, claims(sent, clientId).claim("email_verified", false)));
        cases.put("email-missing", sent -> signed(opKey, claims(sent, clientId).claim("email", null)));

        WebClient eve = member("eve-" + s);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Function<Sent, String>> c : cases.entrySet()) {
            Sent sent = sent(eve.get("/organizations/" + org + "/sso"));
            Map<String, Object> tokens = Map.of("access_token", "at-" + s, "token_type", "Bearer",
                    "expires_in", 300, "id_token", c.getValue().apply(sent));
            CRAFTED.add(request -> json(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(tokens)));
            Page answer = eve.follow(eve.get(callback(sent, "code-" + s)));
            String expected = c.getKey().replaceAll("/.*", "");
            if (!expected.equals(answer.header("X-Hub-Sso-Failure")) || answer.status() < 400
                    || answer.contains("Exception")) {
                wrong.add(c.getKey() + " -> " + answer.status() + " " + answer.header("X-Hub-Sso-Failure"));
            }
        }
        assertEquals(List.of(), wrong);
        // The hub redeemed each code with its PKCE verifier and its client secret (HTTP Basic).
        assertTrue(lastTokenRequest.contains("code_verifier="), lastTokenRequest);
        assertTrue(lastTokenRequest.startsWith("Basic "), "client_secret_basic");
        assertFalse(eve.get("/" + org).contains("id=\"my-role\""), "no membership from any of them");

        // No state at all, or the IdP's own error: clear pages too.
        assertEquals("state-missing", eve.get("/organizations/" + orgId + "/oidc/callback?code=x")
                .header("X-Hub-Sso-Failure"));
        Sent denied = sent(eve.get("/organizations/" + org + "/sso"));
        Page idpError = eve.follow(eve.get(redirectUri(denied) + "?error=access_denied&state=" + denied.state()));
        assertEquals("idp-error", idpError.header("X-Hub-Sso-Failure"));
        assertTrue(idpError.contains("access_denied"));
        // A state this browser session never sent (another session's sign-in).
        WebClient mallory = member("mallory-" + s);
        Sent evesSent = sent(eve.get("/organizations/" + org + "/sso"));
        Page stolen = mallory.follow(mallory.get(callback(evesSent, "code-" + s)));
        assertEquals("state-missing", stolen.header("X-Hub-Sso-Failure"));
        // Implicit-flow parameters are never taken.
        Sent implicit = sent(eve.get("/organizations/" + org + "/sso"));
        Page injected = eve.follow(eve.get(callback(implicit, "code-" + s) + "&id_token=x"));
        assertEquals("malformed", injected.header("X-Hub-Sso-Failure"));
        assertFalse(eve.get("/" + org).contains("id=\"my-role\""));
        assertFalse(mallory.get("/" + org).contains("id=\"my-role\""));
    }

    @Test
    void anUnreachableOrSilentIdpGivesAClearErrorInTime() throws Exception {
        String s = HubIT.suffix();
        WebClient admin = client();
        admin.signIn(HubIT.ADMIN, HubIT.ADMIN_PASSWORD);
        String org = HubIT.newOrg(admin, "oidc-down");
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

    private String lastCallback;

    /** The roles the OP issues in the nested claim resource_access.hub.roles at the next sign-in. */
    private List<String> hubRoles = List.of("hub-admin");

    /** At the OP: the user signs in (mock-oauth2-server issues a code for these claims), back to the hub. */
    private Page signInAtOp(WebClient browser, Sent sent, String subject, String email, boolean emailVerified) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", emailVerified);
        claims.put("groups", List.of("hub-admins", "staff"));
        claims.put("resource_access", Map.of("hub", Map.of("roles", hubRoles)));
        op.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT",
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

    private static Sent sent(Page redirect) {
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

    private static Map<String, String> oidcFields(String issuerUrl, String clientId, String secret) {
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
        return HubIT.verifiedMember(URI.create(base.toString()), username);
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
