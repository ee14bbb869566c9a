package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.hubsso.TestPostgres;
import org.hubsso.account.PasswordSignIn;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two nodes of one cluster on one PostgreSQL database, started as {@code payara/cluster.sh} starts them: a sign-in
 * started on node A completes on node B (SAML, and OpenID Connect with mock-oauth2-server on loopback as the OP),
 * the member's session works on both and survives {@code kill -9} of A, a
 * replayed answer is refused on the other node, and a settings change on A is in effect on B at once. The test plays
 * the browser, the IdP (the in-test {@link TestIdp}) and the load balancer: it decides which node gets each request.
 * The nodes' public base URL ({@code HUB_BASE_URL}) is a loopback port where nothing listens, as a load balancer's
 * would be to them, so SAML URLs are the same whichever node builds them. Everything runs on 127.0.0.1, and the
 * first test checks every socket of both nodes. Measurements go to target/measurements/cluster.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

    static final int HTTP = Integer.getInteger("hub.test.http.port", 18480);
    static final int HZ = Integer.getInteger("hub.test.cluster.port", 18490);
    // WildFly moves all of a node's ports (HTTP, HTTPS, AJP, management, transactions) by one offset: its nodes
    // are 100 apart, clear of the test server's own (HTTP + 0) and of RestartIT's (HTTP + 50).
    static final int PORT_A = HTTP + (ClusterNode.WILDFLY ? 150 : 2);
    static final int PORT_B = HTTP + (ClusterNode.WILDFLY ? 250 : 3);
    static final int FRONT = HTTP + 4;
    static final String ADMIN_PASSWORD = "cluster-admin-password-1";

    final TestIdp idp = new TestIdp("http://idp.localhost/realms/cluster");
    final List<String> report = new ArrayList<>();
    PGSimpleDataSource pg;
    String database;
    ClusterNode a;
    ClusterNode b;
    URI nodeA;
    URI nodeB;

    static final String OP_ISSUER_ID = "cluster";
    MockOAuth2Server op;
    String opIssuer;
    String lastOpCallback;

    // What a node needs to be started again (after the kill -9 test).
    Path work;
    Path war;
    Map<String, String> env;
    String members;
    String cluster;

    // Set up once, by whichever test needs it first: the tests run in any order.
    WebClient admin;
    String org;
    WebClient alice;
    boolean aliceSignedInWithSaml;
    String oidcOrg;

    @BeforeAll
    void startTwoNodesOnOnePostgreSql() throws Exception {
        pg = TestPostgres.required("the cluster test needs it");
        database = "hub_cluster_" + UUID.randomUUID().toString().substring(0, 8);
        sql("CREATE DATABASE " + database);

        work = Path.of(System.getProperty("hub.test.dir", "target/it")).resolve("cluster-" + database);
        Files.createDirectories(work);
        war = ClusterNode.warWithTestSupport(work);
        env = ClusterNode.clusterEnv(pg, database, FRONT, ADMIN_PASSWORD);
        members = ClusterNode.WILDFLY
                ? "127.0.0.1:" + ClusterNode.jgroupsPort(PORT_A) + ",127.0.0.1:" + ClusterNode.jgroupsPort(PORT_B)
                : "127.0.0.1:" + (HZ + 2) + ",127.0.0.1:" + (HZ + 3);
        cluster = "hub-cluster-it-" + database.substring(database.length() - 8);
        // A first: it migrates the empty database and creates the first admin; then B joins.
        op = new MockOAuth2Server();
        op.start(InetAddress.getByName("127.0.0.1"), 0);
        opIssuer = "http://127.0.0.1:" + op.baseUrl().port() + "/" + OP_ISSUER_ID;
        a = ClusterNode.start(work, "node-a", war, PORT_A, HZ + 2, members, cluster, env);
        a.awaitReady(Duration.ofMinutes(5));
        b = ClusterNode.start(work, "node-b", war, PORT_B, HZ + 3, members, cluster, env);
        b.awaitReady(Duration.ofMinutes(5));
        nodeA = a.uri();
        nodeB = b.uri();
        report.add(String.format("node A ready (empty database: migrations + bootstrap) %.1f s after launch, RSS %d MB",
                a.startSeconds(), a.rssMb()));
        report.add(String.format("node B ready (joining) %.1f s after launch, RSS %d MB", b.startSeconds(),
                b.rssMb()));
    }

    @Test
    void bothNodesFormOneGridAndUseLoopbackOnly() throws Exception {
        assertOneGridOfTwo();
        for (ClusterNode node : List.of(a, b)) {
            List<ClusterNode.Socket> sockets = node.sockets();
            assertTrue(sockets.stream().anyMatch(s -> s.listening() && s.local().port() == node.port),
                    node.name + " listens on its HTTP port: " + sockets);
            for (ClusterNode.Socket s : sockets) {
                assertTrue(s.local().loopback(), node.name + " socket bound to a non-loopback address: " + s);
                assertTrue(s.listening() || s.remote().loopback(), node.name + " talks to a non-loopback peer: " + s);
            }
            report.add(node.name + ": " + sockets.size() + " TCP/UDP sockets, all on 127.0.0.1 ("
                    + sockets.stream().filter(ClusterNode.Socket::listening).map(s -> s.proto() + " " + s.local())
                            .toList() + " listening)");
            // Health and metrics pass through the hub's routing filter at "/".
            Page ready = new WebClient(node.healthUri()).get("/health/ready");
            assertEquals(200, ready.status(), ready::body);
            assertTrue(ready.contains("hub-database"), ready.body());
            assertEquals(200, new WebClient(node.uri()).get("/metrics").status());
        }
    }

    /**
     * A SAML sign-in started on A is answered at B's ACS and completed on B; the org SSO session then works on both
     * nodes, the same answer again at A is refused, and the same assertion for another sign-in is a replay.
     */
    @Test
    void signInStartedOnACompletesOnBAndTheSessionWorksOnBoth() throws InterruptedException {
        SamlFlow.Sent sent = aliceSignsInWithSamlAcrossNodes();
        String answer = aliceAnswer;
        // The same answer again, at the other node: the request it answers was answered.
        Page again = SamlFlow.postToAcs(nodeA, sent, answer);
        assertEquals(400, again.status());
        assertEquals("in-response-to-unknown", again.header("X-Hub-Sso-Failure"));
        // The same assertion for a new request started on B, posted to A: the shared replay table refuses it.
        SamlFlow.Sent second = SamlFlow.sent(alice.get(on(nodeB, "/organizations/" + org + "/sso")));
        String replayed = idp.answer(second.id(), second.spEntityId(), second.acs(), alice.username()
                + "@example.test").tweak(d -> TestIdp.assertion(d).setAttribute("ID", "_cluster-assertion-"
                        + sent.id())).encoded();
        Page refused = SamlFlow.postToAcs(nodeA, second, replayed);
        assertEquals(303, refused.status(), "the failure is shown in the browser session that started it");
        Page shown = alice.follow(alice.get(nodeA.resolve(refused.location()).toString()));
        assertEquals(400, shown.status());
        assertEquals("replayed", shown.header("X-Hub-Sso-Failure"));
        assertEquals(200, alice.get(on(nodeB, "/" + org + "/secret")).status(), "her SSO session is untouched");

        // Signing out on A ends the sign-in on B as well, although B keeps its own copy of the session.
        WebClient dave = HubFixtures.verifiedMember(nodeA, "dave-" + HubFixtures.suffix());
        assertEquals(200, dave.get(on(nodeB, "/settings/account")).status(), "B serves dave's session");
        assertEquals(200, dave.get(on(nodeA, "/settings/account")).status());
        Page signedOut = dave.submit(dave.get(on(nodeA, "/logout")), "logout", "submit", Map.of());
        assertEquals(302, signedOut.status(), signedOut::body);
        Page afterOnB = dave.get(on(nodeB, "/settings/account"));
        assertEquals(302, afterOnB.status(), "B no longer takes the session as signed in");
        assertTrue(afterOnB.location().contains("/login"), afterOnB.location());
    }

    /**
     * An OpenID Connect sign-in started on A (state, nonce and PKCE verifier issued there) is answered at B's
     * callback, whose token request and ID token check use them; the org SSO session then works on both, and the
     * same callback again, at A, is refused.
     */
    @Test
    void anOidcSignInStartedOnACompletesOnB() throws InterruptedException {
        aliceSignsInWithOidcAcrossNodes();
        Page again = alice.follow(alice.get(on(nodeA, aliceOidcCallback)));
        assertEquals(400, again.status());
        assertEquals("state-missing", again.header("X-Hub-Sso-Failure"), "the flow was taken by B's callback");
    }

    /**
     * What the nodes replicate: every attribute of a session that has been through sign-in, SSO on both protocols
     * and the settings forms (Faces keeps its views' state server-side) is serializable, and the whole is small.
     */
    @Test
    void sessionsHoldOnlySmallSerializableState() throws InterruptedException {
        aliceSignsInWithSamlAcrossNodes();
        aliceSignsInWithOidcAcrossNodes();
        for (WebClient client : List.of(admin, alice)) {
            String who = client == admin ? "admin" : "alice";
            for (URI node : List.of(nodeA, nodeB)) {
                Page listed = client.get(on(node, "/it-support/session"));
                assertEquals(200, listed.status(), listed::body);
                assertFalse(listed.contains("not-serializable"), listed.body());
                int total = listed.body().lines().mapToInt(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum();
                assertTrue(total < 64 * 1024, who + "'s session on " + node + ": " + total + " bytes\n"
                        + listed.body());
                report.add(String.format("%s's session on %s: %d attributes, %d bytes serialized", who,
                        node.getPort() == PORT_A ? "A" : "B", listed.body().lines().count(), total));
            }
        }
    }

    @Test
    void aSettingsChangeOnAIsInEffectOnBAtOnce() throws Exception {
        samlOrg();
        alice();
        String changed = "http://127.0.0.1:9/idp/changed-" + HubFixtures.suffix();
        Page form = admin.get(on(nodeA, "/organizations/" + org + "/settings/sso"));
        // SSO is enforced: the change is a draft, tried through the IdP on A, then applied on A.
        Page saved = admin.submit(form, "saml", "test", SamlFlow.samlSettings(idp, changed));
        Page tested = throughIdp(admin, continueToIdp(admin, saved), "admin@hub.localhost", nodeA, nodeA);
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
        assertFalse(alice.get(on(nodeB, "/organizations/" + org + "/sso")).location().startsWith(changed),
                "members keep the live configuration while the draft is tried");
        Page applied = admin.submit(admin.get(on(nodeA, "/organizations/" + org + "/settings/sso")), "draft",
                "apply", Map.of());
        long savedAt = System.nanoTime();
        assertEquals(302, applied.status(), applied::body);
        // B reads the organization's config version per request and rebuilds its client when it changed.
        long deadline = savedAt + Duration.ofSeconds(30).toNanos();
        int polls = 0;
        String location = null;
        while (System.nanoTime() < deadline) {
            polls++;
            location = alice.get(on(nodeB, "/organizations/" + org + "/sso")).location();
            if (location.startsWith(changed)) {
                break;
            }
            Thread.sleep(20);
        }
        long seenAt = System.nanoTime();
        assertTrue(location.startsWith(changed), "B still sends members to " + location);
        double millis = (seenAt - savedAt) / 1e6;
        report.add(String.format("settings change applied on A, first request on B with the new Sign-On URL: %.0f ms"
                + " after A's answer (%d request(s) to B)", millis, polls));
    }

    /** The sign-in throttle counts in the database both nodes share: failures on A pause the account on B. */
    @Test
    void signInFailuresOnAPauseTheAccountOnB() {
        String name = "eve-" + HubFixtures.suffix();
        HubFixtures.verifiedMember(nodeA, name);
        WebClient guesser = new WebClient(nodeA);
        for (int i = 0; i < 5; i++) {
            Page wrong = guesser.signIn(name, "wrong-guess-" + i);
            assertEquals(200, wrong.status(), wrong::body);
            assertTrue(wrong.contains("Incorrect username, email or password."), wrong::body);
        }
        Page onB = new WebClient(nodeB).signIn(name, HubFixtures.PASSWORD);
        assertEquals(429, onB.status(), onB::body);
        assertTrue(onB.contains(PasswordSignIn.REFUSED), onB::body);
        assertTrue(Long.parseLong(onB.header("Retry-After")) > 0);
    }

    /** Node A dies by kill -9; B serves its sessions alone; A is started again and rejoins. */
    @Test
    void sessionsSurviveKillMinusNineOfA() throws Exception {
        aliceSignsInWithSamlAcrossNodes();
        // Carol only ever talks to A: B has no copy of her session of its own, only Hazelcast's.
        WebClient carol = HubFixtures.verifiedMember(nodeA, "carol-" + HubFixtures.suffix());
        Page form = carol.get(on(nodeA, "/organizations/new"));
        assertEquals(200, form.status());
        a.kill();
        assertFalse(a.process.isAlive());

        Page repo = alice.get(on(nodeB, "/" + org + "/secret"));
        assertEquals(200, repo.status(), "alice's session and org SSO session live on in B");
        assertTrue(repo.contains("classified"));
        Page account = carol.get(on(nodeB, "/settings/account"));
        assertEquals(200, account.status(), "carol's session, known to B only through Hazelcast, is signed in");
        assertTrue(account.contains(carol.username()));
        // A Faces form rendered by A right before the kill, posted to B: its view state reaches B with the session
        // when A stored the session before dying (observed both ways); otherwise the hub's "form expired" page.
        String name = "after-kill-" + HubFixtures.suffix();
        Page created = carol.post(on(nodeB, "/organizations/new"), Map.of("org", "org", "org:name", name,
                "org:displayName", name, "org:submit", "submit", "jakarta.faces.ViewState", form.viewState()));
        if (created.status() == 302) {
            assertEquals(200, carol.get(on(nodeB, "/" + name)).status());
            report.add("a Faces form rendered by A just before kill -9 was accepted by B");
        } else {
            assertEquals(400, created.status(), created::body);
            assertTrue(created.contains("This form has expired"), created.body());
            report.add("a Faces form rendered by A just before kill -9 came back from B as 'form expired'");
        }
        Page again = carol.submit(carol.get(on(nodeB, "/organizations/new")), "org", "submit",
                Map.of("name", name, "displayName", name));
        assertTrue(again.status() == 302 || again.contains("This name is taken."), again::body);
        Page ready = new WebClient(b.healthUri()).get("/health/ready");
        assertEquals(200, ready.status(), "B stays ready alone");

        // A comes back and rejoins: the cluster is whole again for whatever runs next.
        a = ClusterNode.start(work, "node-a", war, PORT_A, HZ + 2, members, cluster, env);
        a.awaitReady(Duration.ofMinutes(5));
        assertOneGridOfTwo();
        assertEquals(200, alice.get(on(nodeA, "/" + org + "/secret")).status(), "the restarted A serves alice");
        report.add(String.format("node A started again after kill -9: ready %.1f s after launch", a.startSeconds()));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (b != null) {
                b.close();
            }
            if (a != null) {
                a.close();
            }
        } finally {
            if (op != null) {
                op.shutdown();
            }
            if (database != null) {
                sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (!report.isEmpty()) {
                Path out = Path.of("target", "measurements", "cluster.txt");
                Files.createDirectories(out.getParent());
                report.add(0, "ClusterIT " + java.time.Instant.now() + ", " + Runtime.version() + ", "
                        + Runtime.getRuntime().availableProcessors() + " cores");
                Files.write(out, report, StandardCharsets.UTF_8);
                report.forEach(line -> System.out.println("[measurement] " + line));
            }
        }
    }

    // ---- what the tests share, set up once by whichever needs it first ------------------------------------

    /** The bootstrap admin, signed in on A. */
    private WebClient admin() {
        if (admin == null) {
            WebClient web = new WebClient(nodeA);
            assertEquals(200, web.signIn("admin", ADMIN_PASSWORD).status());
            admin = web;
        }
        return admin;
    }

    /**
     * An organization with a private repository, enforcing SAML SSO: Update and Test on A, answered at B's ACS,
     * completed on A; Enable on B, answered at A, completed on B.
     */
    private String samlOrg() {
        if (org == null) {
            WebClient admin = admin();
            String name = HubFixtures.newOrg(admin, "cl");
            assertEquals(302, admin.submit(admin.get("/new?org=" + name), "repo", "submit", Map.of("org", name,
                    "kind", "model", "name", "secret", "visibility", "private", "readme", "classified")).status());
            Page save = admin.submit(admin.get("/organizations/" + name + "/settings/sso"), "saml", "test",
                    SamlFlow.samlSettings(idp, "http://127.0.0.1:9/idp/sso"));
            Page tested = throughIdp(admin, continueToIdp(admin, save), "admin@hub.localhost", nodeB, nodeA);
            assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
            Page enableForm = admin.get(nodeB.resolve("/organizations/" + name + "/settings/sso").toString());
            Page enabled = admin.submit(enableForm, "state", "enable", Map.of());
            Page back = throughIdp(admin, continueToIdp(admin, enabled), "admin@hub.localhost", nodeA, nodeB);
            assertTrue(back.contains("id=\"sso-state\">enabled"), back.body());
            org = name;
        }
        return org;
    }

    /** Alice signs up on A and is added to the SAML organization; her hub session is known on B at once. */
    private WebClient alice() throws InterruptedException {
        if (alice == null) {
            String org = samlOrg();
            WebClient member = HubFixtures.verifiedMember(nodeA, "alice-" + HubFixtures.suffix());
            HubFixtures.addMember(admin(), org, member.username(), "read");
            // The change's notice is kept in the session, not in the memory of A (as Faces' flash would keep it):
            // the next page shows it on B too, once B has the session as A stored it after the answer.
            Thread.sleep(1000);
            Page membersPage = admin().get(on(nodeB, "/organizations/" + org + "/settings/members"));
            assertTrue(membersPage.contains(member.username() + " joined as read."), membersPage::body);
            Page required = member.get(on(nodeB, "/" + org + "/secret"));
            assertEquals(403, required.status(), "signed in on B too, but no SSO session yet");
            assertEquals("sso-required", required.header("X-Hub-Access"));
            alice = member;
        }
        return alice;
    }

    /** The AuthnRequest of alice's sign-in and the IdP's answer to it, once it was accepted. */
    SamlFlow.Sent aliceSent;
    String aliceAnswer;

    /** Alice's SAML sign-in: the AuthnRequest issued by A, the answer posted to B, the completion on B. */
    private SamlFlow.Sent aliceSignsInWithSamlAcrossNodes() throws InterruptedException {
        if (aliceSent == null) {
            WebClient alice = alice();
            SamlFlow.Sent sent = SamlFlow.sent(alice.get(on(nodeA, "/organizations/" + org + "/sso?returnTo=/" + org
                    + "/secret")));
            assertEquals("http://127.0.0.1:" + FRONT, URI.create(sent.acs()).resolve("/").toString()
                    .replaceAll("/$", ""), "the ACS URL is the base URL's, not a node's");
            String answer = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), alice.username() + "@example.test")
                    .tweak(d -> TestIdp.assertion(d).setAttribute("ID", "_cluster-assertion-" + sent.id()))
                    .encoded();
            Page acs = SamlFlow.postToAcs(nodeB, sent, answer);
            assertEquals(303, acs.status(), acs::body);
            Page complete = alice.get(nodeB.resolve(acs.location()).toString());
            assertEquals(303, complete.status(), complete::body);
            Page repo = alice.get(nodeB.resolve(complete.location()).toString());
            assertEquals(200, repo.status(), repo::body);
            assertTrue(repo.contains("classified"));
            Page onA = alice.get(on(nodeA, "/" + org + "/secret"));
            assertEquals(200, onA.status(), "the org SSO session works on A too");
            assertTrue(onA.contains("classified"));
            aliceSent = sent;
            aliceAnswer = answer;
        }
        return aliceSent;
    }

    /** The callback of alice's OIDC sign-in, as the OP sent the browser to it. */
    String aliceOidcCallback;

    /**
     * Alice's OpenID Connect sign-in to a second organization: started on A (state, nonce and PKCE verifier issued
     * there), answered at B's callback, whose token request and ID token check use them; the org SSO session then
     * works on both nodes.
     */
    private void aliceSignsInWithOidcAcrossNodes() throws InterruptedException {
        if (aliceOidcCallback != null) {
            return;
        }
        WebClient admin = admin();
        WebClient alice = alice();
        oidcOrg = HubFixtures.newOrg(admin, "clo");
        assertEquals(302, admin.submit(admin.get(on(nodeA, "/new?org=" + oidcOrg)), "repo", "submit", Map.of("org",
                oidcOrg, "kind", "model", "name", "notes", "visibility", "private", "readme", "oidc-only")).status());
        String clientId = "cluster-" + HubFixtures.suffix();
        // Update and Test on A, back at B; Enable on B, back at A.
        Page saved = admin.submit(admin.get(on(nodeA, "/organizations/" + oidcOrg + "/settings/sso")), "oidc",
                "test", OidcIT.oidcFields(opIssuer, clientId, "secret-" + clientId));
        Page tested = throughOp(admin, OidcIT.sent(continueToIdp(admin, saved)), "admin@hub.localhost", nodeB);
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
        Page enabled = admin.submit(admin.get(on(nodeB, "/organizations/" + oidcOrg + "/settings/sso")), "state",
                "enable", Map.of());
        Page back = throughOp(admin, OidcIT.sent(continueToIdp(admin, enabled)), "admin@hub.localhost", nodeA);
        assertTrue(back.contains("id=\"sso-state\">enabled"), back.body());

        HubFixtures.addMember(admin, oidcOrg, alice.username(), "read");
        assertEquals("sso-required", alice.get(on(nodeB, "/" + oidcOrg + "/notes")).header("X-Hub-Access"));
        OidcIT.Sent sent = OidcIT.sent(alice.get(on(nodeA, "/organizations/" + oidcOrg + "/sso?returnTo=/"
                + oidcOrg + "/notes")));
        assertEquals("S256", sent.params().get("code_challenge_method"));
        Page repo = throughOp(alice, sent, alice.username() + "@example.test", nodeB);
        assertEquals(200, repo.status(), repo::body);
        assertTrue(repo.uri().toString().startsWith(nodeB.toString()), repo.uri().toString());
        assertTrue(repo.contains("oidc-only"));
        assertEquals(200, alice.get(on(nodeA, "/" + oidcOrg + "/notes")).status(), "the org SSO session works on A");
        aliceOidcCallback = lastOpCallback;
    }

    /**
     * The nodes see exactly the two members (waiting up to a minute for a node that just joined): Hazelcast's on
     * their loopback ports, as node B reports them, or WildFly's JGroups view of the two node names.
     */
    private void assertOneGridOfTwo() throws Exception {
        // WildFly logs a view when a node joins: the node started last has the current one.
        ClusterNode seer = ClusterNode.WILDFLY && a.startedNanos > b.startedNanos ? a : b;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (seer.gridMembers().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<String> expected = ClusterNode.WILDFLY ? List.of("node-a", "node-b")
                : List.of("127.0.0.1:" + (HZ + 2), "127.0.0.1:" + (HZ + 3));
        assertEquals(expected, seer.gridMembers().stream().sorted().toList(), seer.name
                + " sees exactly the two members");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String on(URI node, String path) {
        return node.resolve(path).toString();
    }

    private static Page continueToIdp(WebClient browser, Page afterPost) {
        assertEquals(302, afterPost.status(), afterPost::body);
        Page page = browser.get(afterPost.uri().resolve(afterPost.location()).toString());
        return browser.get(page.uri().resolve(SamlFlow.refreshTarget(page)).toString());
    }

    /** The IdP answers at {@code acsNode}; the browser continues at {@code completeNode}. */
    private Page throughIdp(WebClient browser, Page redirect, String email, URI acsNode, URI completeNode) {
        SamlFlow.Sent sent = SamlFlow.sent(redirect);
        Page acs = SamlFlow.postToAcs(acsNode, sent, idp.answer(sent.id(), sent.spEntityId(), sent.acs(), email)
                .encoded());
        assertEquals(303, acs.status(), acs::body);
        Page page = browser.get(completeNode.resolve(URI.create(acs.location()).getRawPath() + "?"
                + URI.create(acs.location()).getRawQuery()).toString());
        for (int i = 0; i < 5 && page.status() / 100 == 3; i++) {
            page = browser.get(completeNode.resolve(page.location()).toString());
        }
        return page;
    }

    /**
     * The OP (mock-oauth2-server) signs the user in and sends the browser to the redirect URI, the base URL's; the
     * test, as the load balancer, hands that callback to {@code callbackNode} and follows the hub from there.
     */
    private Page throughOp(WebClient browser, OidcIT.Sent sent, String email, URI callbackNode) {
        op.enqueueCallback(new DefaultOAuth2TokenCallback(OP_ISSUER_ID, email, "JWT",
                List.of(sent.params().get("client_id")), Map.of("email", email, "email_verified", true), 300));
        Page atOp = new WebClient(sent.authorize()).get(sent.authorize().toString());
        assertEquals(302, atOp.status(), atOp::body);
        URI callback = URI.create(atOp.location());
        lastOpCallback = callback.getRawPath() + "?" + callback.getRawQuery();
        Page page = browser.get(on(callbackNode, lastOpCallback));
        for (int i = 0; i < 5 && page.status() / 100 == 3; i++) {
            page = browser.get(callbackNode.resolve(page.location()).toString());
        }
        return page;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

}
