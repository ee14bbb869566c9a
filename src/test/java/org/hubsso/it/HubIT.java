package org.hubsso.it;

import static org.hubsso.it.HubFixtures.ADMIN;
import static org.hubsso.it.HubFixtures.ADMIN_PASSWORD;
import static org.hubsso.it.HubFixtures.PASSWORD;
import static org.hubsso.it.HubFixtures.addMember;
import static org.hubsso.it.HubFixtures.newOrg;
import static org.hubsso.it.HubFixtures.suffix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.transaction.UserTransaction;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.Viewer;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Keyset;
import org.hubsso.orgs.OrgPage;
import org.hubsso.hub.Organization;
import org.hubsso.orgs.OrganizationService;
import org.hubsso.hub.Repo;
import org.hubsso.hub.RepoKind;
import org.hubsso.orgs.RepoService;
import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.OrgSsoSession;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built WAR on a real Payara Micro with its real H2 database: HTTP flows as a browser drives them
 * ({@code @RunAsClient}) and the access interceptor exercised inside the server.
 */
@ExtendWith(ArquillianExtension.class)
class HubIT {

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")))
                .addClasses(HubIT.class, HubFixtures.class, WebClient.class, WebClient.Page.class, SamlFlow.class, SamlFlow.Sent.class,
                        TestIdp.class, org.hubsso.access.TestSignIns.class, TestSupportServlet.class);
    }

    @ArquillianResource
    URL base;

    // ---- over HTTP, as a browser --------------------------------------------------------------------------

    @Test
    @RunAsClient
    void signInPageIsServedAndSchemaWasMigrated() {
        WebClient web = client();
        Page login = web.get("/login");
        assertEquals(200, login.status());
        assertTrue(login.contains("Sign in"));
        // The demo organization exists only if Flyway created the schema and the bootstrap ran on it.
        Page acme = web.get("/acme");
        assertEquals(200, acme.status());
        assertTrue(acme.contains("tiny-bert"));
    }

    @Test
    @RunAsClient
    void signInChangesTheSessionIdAndFailuresLookAlike() {
        WebClient web = client();
        Page form = web.get("/login");
        String before = web.cookie("HUBSESSION");
        assertNotNull(before, "the sign-in form starts a session");
        String setCookie = form.header("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=lax"), setCookie);

        Page wrongPassword = web.submit(form, "login", "submit", Map.of("login", ADMIN, "password", "wrong-password-1"));
        Page noSuchUser = web.submit(web.get("/login"), "login", "submit",
                Map.of("login", "nobody-" + suffix(), "password", "wrong-password-1"));
        assertEquals(200, wrongPassword.status());
        assertEquals(200, noSuchUser.status());
        assertTrue(wrongPassword.contains("Incorrect username, email or password."));
        assertTrue(noSuchUser.contains("Incorrect username, email or password."));
        assertEquals(stateOf(wrongPassword), stateOf(noSuchUser), "no hint which part was wrong");

        Page signedIn = web.submit(web.get("/login"), "login", "submit",
                Map.of("login", ADMIN, "password", ADMIN_PASSWORD));
        assertEquals(302, signedIn.status());
        assertNotEquals(before, web.cookie("HUBSESSION"), "a new session id at sign-in");
        assertTrue(web.follow(signedIn).contains("Your organizations"));
    }

    @Test
    @RunAsClient
    void privateRepositoriesAreNotFoundForOutsiders() {
        WebClient anonymous = client();
        Page org = anonymous.get("/acme");
        assertTrue(org.contains("acme/tiny-bert"));
        assertFalse(org.contains("internal-eval"), "private repositories are not listed to outsiders");
        Page secret = anonymous.get("/acme/internal-eval");
        Page missing = anonymous.get("/acme/no-such-repo-" + suffix());
        assertEquals(404, secret.status());
        assertEquals(404, missing.status());
        assertEquals(stateOf(missing), stateOf(secret), "a private repository looks exactly like a missing one");

        WebClient outsider = signedUp("outsider");
        assertEquals(404, outsider.get("/acme/internal-eval").status());
        assertEquals(404, outsider.get("/organizations/acme/settings/members").status());

        WebClient admin = client();
        admin.signIn(ADMIN, ADMIN_PASSWORD);
        Page own = admin.get("/acme/internal-eval");
        assertEquals(200, own.status());
        assertTrue(own.contains("Held-out evaluation prompts"));
        assertTrue(admin.get("/acme").contains("acme/internal-eval"));
    }

    @Test
    @RunAsClient
    void creatingRepositoriesNeedsTheWriteRole() {
        WebClient admin = admin();
        String orgName = newOrg(admin, "lab");

        WebClient member = signedUp("member");
        String memberName = member.username();
        addMember(admin, orgName, memberName, "read");

        Page asReader = member.get("/" + orgName);
        assertEquals(200, asReader.status());
        assertTrue(asReader.contains(">read<"), "the page shows the member's role");
        assertFalse(asReader.contains("id=\"new-repo\""), "no create button for a reader");
        assertFalse(member.get("/new").contains("value=\"" + orgName + "\""), "not offered as an owner to a reader");

        changeRole(admin, orgName, memberName, "write");
        Page form = member.get("/new?org=" + orgName);
        Page made = member.submit(form, "repo", "submit", Map.of("org", orgName, "kind", "dataset",
                "name", "corpus", "visibility", "private", "readme", "Line one\n<script>alert(1)</script>"));
        assertEquals(302, made.status(), () -> made.body());
        assertTrue(made.location().endsWith("/" + orgName + "/corpus"));
        Page repo = member.get("/" + orgName + "/corpus");
        assertEquals(200, repo.status());
        assertTrue(repo.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "README text is escaped");
        assertFalse(repo.contains("<script>alert(1)"));
        assertTrue(member.get("/" + orgName).contains(orgName + "/corpus"));
        assertEquals(404, client().get("/" + orgName + "/corpus").status(), "private: hidden from outsiders");
    }

    @Test
    @RunAsClient
    void membersPageIsForAdminsOnly() {
        WebClient admin = admin();
        String orgName = newOrg(admin, "crew");
        String path = "/organizations/" + orgName + "/settings/members";
        Page asAdmin = admin.get(path);
        assertEquals(200, asAdmin.status());
        assertTrue(asAdmin.contains("data-username=\"admin\""));

        Page anonymous = client().get(path);
        assertEquals(302, anonymous.status());
        assertTrue(anonymous.location().contains("/login?returnTo="));

        WebClient outsider = signedUp("nosy");
        assertEquals(404, outsider.get(path).status());
        assertEquals(404, outsider.get("/organizations/" + orgName + "/settings/general").status());

        WebClient writer = signedUp("writer");
        addMember(admin, orgName, writer.username(), "write");
        String notice = writer.username() + " joined as write.";
        assertTrue(admin.get(path).contains(notice), "the notice is shown on the page after the redirect");
        assertFalse(admin.get(path).contains(notice), "and only once");
        assertNull(admin.cookie("csfcfc"), "notices live in the (replicated) session, not in Mojarra's flash");
        Page forbidden = writer.get(path);
        assertEquals(403, forbidden.status());
        assertEquals("forbidden", forbidden.header("X-Hub-Access"));
        assertTrue(forbidden.contains("does not allow this"));
    }

    /**
     * Every settings page and admin action of an organization, tried by someone signed in who is not its admin: an
     * outsider, a reader, and the admin of another organization. Actions are posted with a valid ViewState of the
     * attacker's own organization's settings (the same views), to the victim's URLs. All answer 404 (outsiders) or
     * 403 (the reader), and nothing changes.
     */
    @Test
    @RunAsClient
    void adminPagesAndActionsAreClosedToEveryoneButTheOrgsAdmins() {
        WebClient admin = admin();
        String victim = newOrg(admin, "victim");
        WebClient reader = signedUp("reader");
        addMember(admin, victim, reader.username(), "read");
        WebClient outsider = signedUp("outsider");
        WebClient otherAdmin = signedUp("otheradmin");
        Map<WebClient, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put(outsider, 404);
        expected.put(reader, 403);
        expected.put(otherAdmin, 404);
        admin.get("/organizations/" + victim + "/settings/members"); // shows (and so clears) the "joined" notice
        String before = stateOf(admin.get("/organizations/" + victim + "/settings/general"))
                + stateOf(admin.get("/organizations/" + victim + "/settings/members"))
                + stateOf(admin.get("/organizations/" + victim + "/settings/sso"));

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<WebClient, Integer> actor : expected.entrySet()) {
            WebClient who = actor.getKey();
            int status = actor.getValue();
            String own = newOrg(who, "own");
            for (String tab : List.of("general", "members", "sso")) {
                int got = who.get("/organizations/" + victim + "/settings/" + tab).status();
                if (got != status) {
                    wrong.add(who.username() + " GET " + tab + " -> " + got);
                }
            }
            Map<String, Map<String, String>> actions = new java.util.LinkedHashMap<>();
            actions.put("general|general|submit", Map.of("displayName", "pwned"));
            actions.put("members|add|submit", Map.of("username", who.username(), "role", "admin"));
            actions.put("members|defaults|submit", Map.of("defaultRole", "admin"));
            actions.put("sso|saml|test", Map.of("signOnUrl", "http://127.0.0.1:9/x", "idpIssuer", "evil",
                    "certificate", "x", "emailAttribute", "", "clockSkew", "120"));
            actions.put("sso|oidc|test", Map.of("issuerUrl", "http://127.0.0.1:9/x", "clientId", "evil",
                    "clientSecret", "x", "scopes", "openid", "emailClaim", "email", "clockSkew", "120"));
            actions.put("sso|state|enable", Map.of());
            for (Map.Entry<String, Map<String, String>> action : actions.entrySet()) {
                String[] a = action.getKey().split("\\|");
                Page mine = who.get("/organizations/" + own + "/settings/" + a[0]);
                assertEquals(200, mine.status(), "own settings of " + who.username());
                Map<String, String> body = new java.util.LinkedHashMap<>();
                body.put(a[1], a[1]);
                action.getValue().forEach((k, v) -> body.put(a[1] + ":" + k, v));
                body.put(a[1] + ":" + a[2], a[2]);
                body.put("jakarta.faces.ViewState", mine.viewState());
                Page answer = who.post("/organizations/" + victim + "/settings/" + a[0], body);
                if (answer.status() != status || answer.contains("Exception")) {
                    wrong.add(who.username() + " POST " + action.getKey() + " -> " + answer.status());
                }
            }
            // A member row's "Change role" and "Remove" of the attacker's own members page, aimed at the victim.
            Page ownMembers = who.get("/organizations/" + own + "/settings/members");
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("name=\"(members:[^\"]+:)role\"")
                    .matcher(ownMembers.body());
            assertTrue(row.find(), "a member row on the attacker's own page");
            for (String button : List.of("save", "remove")) {
                Page answer = who.post("/organizations/" + victim + "/settings/members", Map.of("members", "members",
                        row.group(1) + "role", "admin", row.group(1) + button, button,
                        "jakarta.faces.ViewState", ownMembers.viewState()));
                if (answer.status() != status) {
                    wrong.add(who.username() + " POST members row " + button + " -> " + answer.status());
                }
            }
        }
        assertEquals(List.of(), wrong);
        String after = stateOf(admin.get("/organizations/" + victim + "/settings/general"))
                + stateOf(admin.get("/organizations/" + victim + "/settings/members"))
                + stateOf(admin.get("/organizations/" + victim + "/settings/sso"));
        assertEquals(before, after, "nothing of the victim organization changed");
    }

    @Test
    @RunAsClient
    void formsWithoutAValidViewStateChangeNothing() {
        WebClient admin = client();
        admin.signIn(ADMIN, ADMIN_PASSWORD);
        String name = "csrf-" + suffix();
        Page noToken = admin.post("/organizations/new", Map.of("org", "org", "org:name", name,
                "org:displayName", "x", "org:submit", "Create organization"));
        assertNotEquals(302, noToken.status(), "a post without ViewState is never applied");
        Page forged = admin.post("/organizations/new", Map.of("org", "org", "org:name", name,
                "org:displayName", "x", "org:submit", "Create organization",
                "jakarta.faces.ViewState", "1234567890:-987654321"));
        assertEquals(400, forged.status());
        assertTrue(forged.contains("This form has expired"));
        assertFalse(forged.contains("Exception"), "no stack trace or exception name in the page");
        assertEquals(404, admin.get("/" + name).status(), "nothing was created");
    }

    @Test
    @RunAsClient
    void badInputGetsAMessageNextToTheFieldAndChangesNothing() {
        WebClient admin = client();
        admin.signIn(ADMIN, ADMIN_PASSWORD);
        Page invalid = admin.submit(admin.get("/organizations/new"), "org", "submit",
                Map.of("name", "-bad-", "displayName", ""));
        assertEquals(200, invalid.status());
        assertTrue(invalid.contains("starting and ending"), invalid.body());
        Page reserved = admin.submit(admin.get("/organizations/new"), "org", "submit",
                Map.of("name", "organizations", "displayName", ""));
        assertTrue(reserved.contains("This name is reserved."));
        Page taken = admin.submit(admin.get("/organizations/new"), "org", "submit",
                Map.of("name", "ACME", "displayName", ""));
        assertTrue(taken.contains("This name is taken."));
        String fresh = "long-" + suffix();
        Page tooLong = admin.submit(admin.get("/organizations/new"), "org", "submit",
                Map.of("name", fresh, "displayName", "x".repeat(101)));
        assertTrue(tooLong.contains("Use at most 100 characters."));
        assertEquals(404, admin.get("/" + fresh).status());

        WebClient visitor = client();
        Page duplicateEmail = visitor.submit(visitor.get("/join"), "join", "submit", Map.of("username",
                "dup-" + suffix(), "displayName", "", "email", "ADMIN@hub.localhost", "password", PASSWORD));
        assertTrue(duplicateEmail.contains("already used"));
        Page shortPassword = visitor.submit(visitor.get("/join"), "join", "submit", Map.of("username",
                "short-" + suffix(), "displayName", "", "email", suffix() + "@example.test", "password", "short"));
        assertTrue(shortPassword.contains("Use 10 to 200 characters."));
    }

    @Test
    @RunAsClient
    void healthIsUpAndMetricsCountSignInsRefusalsAndDecisions() {
        WebClient web = client();
        Page ready = web.get(health("/health/ready"));
        assertEquals(200, ready.status(), ready::body);
        assertTrue(ready.body().replace(" ", "").contains("\"status\":\"UP\""), ready.body());
        assertTrue(ready.contains("\"hub-database\""), "the database check is part of readiness: " + ready.body());
        Page live = web.get(health("/health/live"));
        assertEquals(200, live.status(), live::body);
        assertTrue(live.contains("\"hub\""), live.body());

        TestIdp idp = new TestIdp("http://idp.localhost/realms/metrics");
        WebClient admin = admin();
        String org = newOrg(admin, "metrics");
        URI node = URI.create(base.toString());
        double allowedBefore = metric("hub_access_decisions_total", "decision=\"allow\"");
        double signatureBefore = metric("hub_sso_validation_failures_total", "reason=\"signature-invalid\"");

        // Update and Test, then Enable: each continues to the IdP; the admin's email is verified.
        Page save = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "saml", "test",
                SamlFlow.samlSettings(idp, "http://127.0.0.1:9/idp/sso"));
        Page tested = throughIdp(admin, idp, node, continueToIdp(admin, save));
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested.body());
        Page enabled = admin.submit(tested, "state", "enable", Map.of());
        Page back = throughIdp(admin, idp, node, continueToIdp(admin, enabled));
        assertEquals(200, back.status(), back::body);
        assertTrue(back.contains("id=\"sso-state\">enabled"));
        assertEquals(200, admin.get("/" + org).status());

        String orgTag = "org=\"" + org + "\"";
        assertEquals(1.0, metric("hub_sso_logins_total", orgTag, "outcome=\"test\"", "protocol=\"saml\""));
        assertEquals(1.0, metric("hub_sso_logins_total", orgTag, "outcome=\"success\"", "protocol=\"saml\""));
        assertTrue(metric("hub_sso_login_duration_seconds_count", "protocol=\"saml\"") >= 1, "login timer");
        assertTrue(metric("hub_access_decisions_total", "decision=\"allow\"") > allowedBefore,
                "the admin's page views were allowed by the policy");

        // An answer signed by another key is refused and counted by its reason.
        SamlFlow.Sent sent = SamlFlow.sent(admin.get("/organizations/" + org + "/sso"));
        String forged = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), "admin@hub.localhost")
                .signedBy(new TestIdp(idp.entityId)).encoded();
        Page refused = SamlFlow.postToAcs(node, sent, forged);
        assertEquals(303, refused.status(), "shown in the browser session that started the sign-in");
        assertEquals(signatureBefore + 1, metric("hub_sso_validation_failures_total",
                "reason=\"signature-invalid\""));
        Page shown = admin.follow(admin.get(sent.acsAt(node).resolve(refused.location()).toString()));
        assertEquals("signature-invalid", shown.header("X-Hub-Sso-Failure"));
        assertEquals(1.0, metric("hub_sso_logins_total", orgTag, "outcome=\"failure\"", "protocol=\"saml\""),
                "the refused answer ends the sign-in as a failure");
    }

    /**
     * A health endpoint: served by the server, not the WAR, at the root of the HTTP port (Payara) or on the management
     * port ({@code hub.test.health.url}, WildFly).
     */
    private String health(String path) {
        String server = System.getProperty("hub.test.health.url", "");
        return (server.isEmpty() ? base.toString().replaceFirst("(//[^/]+).*", "$1") : server) + path;
    }

    /** The sum of the application metric's samples whose labels include all of {@code labels}. */
    private double metric(String name, String... labels) {
        Page page = client().get("/metrics"); // the WAR's own (Micrometer), under its context root
        assertEquals(200, page.status(), page::body);
        double sum = 0;
        for (String line : page.body().split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static Page continueToIdp(WebClient browser, Page afterPost) {
        assertEquals(302, afterPost.status(), afterPost::body);
        Page page = browser.follow(afterPost);
        return browser.get(page.uri().resolve(SamlFlow.refreshTarget(page)).toString());
    }

    /** The IdP answers the AuthnRequest of {@code redirect} for the admin; the browser follows the hub back. */
    private static Page throughIdp(WebClient browser, TestIdp idp, URI node, Page redirect) {
        SamlFlow.Sent sent = SamlFlow.sent(redirect);
        Page acs = SamlFlow.postToAcs(node, sent, idp.answer(sent.id(), sent.spEntityId(), sent.acs(),
                "admin@hub.localhost").encoded());
        assertEquals(303, acs.status(), acs::body);
        return browser.follow(browser.get(sent.acsAt(node).resolve(acs.location()).toString()));
    }

    @Test
    @RunAsClient
    void auditLogListsFiltersPagesAndExportsForAdminsOnly() {
        WebClient admin = admin();
        String orgName = newOrg(admin, "audit");
        WebClient bob = signedUp("bob");
        WebClient carl = signedUp("carl");
        addMember(admin, orgName, bob.username(), "read");
        addMember(admin, orgName, carl.username(), "read");
        changeRole(admin, orgName, bob.username(), "write");
        changeRole(admin, orgName, bob.username(), "write"); // no change: nothing recorded
        String path = "/organizations/" + orgName + "/settings/audit";

        Page all = admin.get(path);
        assertEquals(200, all.status(), all::body);
        assertTrue(all.contains("id=\"tab-audit\""));
        assertEquals(1, count(all.body(), "data-event=\"member.role\""), "one role change");
        assertEquals(2, count(all.body(), "data-event=\"member.join\""));
        assertTrue(all.contains("<dt>from</dt><dd>read</dd>") && all.contains("<dt>to</dt><dd>write</dd>"),
                "the change names both roles, as readable pairs rather than JSON text: " + all.body());

        Page roles = admin.get(path + "?event=member.role");
        assertEquals(1, count(roles.body(), "class=\"audit-row\""));
        Page carls = admin.get(path + "?member=" + carl.username());
        assertEquals(1, count(carls.body(), "class=\"audit-row\""), "carl's join only");
        assertTrue(carls.contains(">" + carl.username() + "<"));
        Page future = admin.get(path + "?from=2999-01-01");
        assertTrue(future.contains("id=\"audit-empty\""));
        Page bad = admin.get(path + "?from=yesterday");
        assertTrue(bad.contains("id=\"audit-error\""), bad::body);
        assertFalse(bad.contains("Exception"));

        Page csv = admin.get(path + ".csv?event=member.join");
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.header("Content-Type"));
        assertEquals("attachment; filename=\"audit-" + orgName + ".csv\"", csv.header("Content-Disposition"));
        String[] lines = csv.body().split("\r\n");
        assertEquals("id,time,event,outcome,reason,actor,member,detail", lines[0]);
        assertEquals(3, lines.length, csv::body);
        assertTrue(lines[1].contains("\"member.join\",\"success\",,\"admin\""), lines[1]);
        Page json = admin.get(path + ".json?member=" + bob.username());
        assertEquals(200, json.status());
        jakarta.json.JsonArray records = jakarta.json.Json.createReader(new java.io.StringReader(json.body()))
                .readArray();
        assertEquals(2, records.size(), json::body);
        assertEquals("member.role", records.getJsonObject(0).getString("event"), "newest first");
        assertEquals("write", records.getJsonObject(0).getJsonObject("detail").getString("to"));
        assertEquals(bob.username(), records.getJsonObject(0).getString("member"));
        assertEquals(400, admin.get(path + ".csv?to=someday").status());

        // Paging: 50 records a page; 3 so far.
        for (int i = 0; i < 57; i++) {
            changeRole(admin, orgName, carl.username(), i % 2 == 0 ? "write" : "read");
        }
        Page first = admin.get(path);
        assertEquals(50, count(first.body(), "class=\"audit-row\""));
        assertTrue(first.contains("id=\"audit-next\""));
        Page second = admin.get(path + link(first.body(), "audit-next"));
        assertEquals(10, count(second.body(), "class=\"audit-row\""), "60 records: 10 on page two");
        assertFalse(second.contains("id=\"audit-next\""), "the oldest page");
        List<String> both = new ArrayList<>(rowIds(first.body()));
        both.addAll(rowIds(second.body()));
        assertEquals(60, both.stream().distinct().count(), "no row twice, none left out");
        Page back = admin.get(path + link(second.body(), "audit-prev"));
        assertEquals(rowIds(first.body()), rowIds(back.body()), "Newer leads back to the same 50 rows");
        assertFalse(back.contains("id=\"audit-prev\""), "the newest page");
        Page edited = admin.get(path + "?before=not-a-cursor");
        assertEquals(rowIds(first.body()), rowIds(edited.body()), "a garbled cursor: the newest page");
        Page filtered = admin.get(path + "?event=member.role");
        Page filteredOlder = admin.get(path + link(filtered.body(), "audit-next"));
        assertTrue(filteredOlder.contains("data-event=\"member.role\""));
        assertFalse(filteredOlder.contains("data-event=\"member.join\""), "the filter holds on later pages");

        assertEquals(403, bob.get(path).status(), "a writer is no admin");
        assertEquals(403, bob.get(path + ".csv").status());
        WebClient outsider = signedUp("peek");
        assertEquals(404, outsider.get(path).status());
        assertEquals(404, outsider.get(path + ".json").status());
        assertEquals(302, client().get(path + ".csv").status(), "anonymous: sign in first");
    }

    /** The href of the link with this id, entities decoded. */
    private static String link(String html, String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"" + id + "\" href=\"([^\"]*)\"")
                .matcher(html);
        assertTrue(m.find(), () -> "no link " + id);
        return m.group(1).replace("&amp;", "&");
    }

    /** The ids of the audit rows shown, in order. */
    private static List<String> rowIds(String html) {
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("class=\"audit-row\" data-id=\"(\\d+)\"")
                .matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    // ---- inside the server: the interceptor and the policy on real data; site admins get no bypass -------

    @Inject
    OrganizationService orgs;

    @Inject
    RepoService repos;

    @Inject
    AccountService accounts;

    @Inject
    Viewer viewer;

    @Inject
    HubClock clock;

    @Inject
    HttpServletRequest request;

    @Inject
    UserTransaction tx;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    /**
     * Repositories, members and organizations come a page at a time by their names (keyset), forwards and
     * backwards, searchable, with wildcards taken literally; a non-member's pages hold public repositories only.
     */
    @Test
    void listsComeAPageAtATimeByName() throws Exception {
        String s = suffix();
        Account owner = inTx(() -> accounts.signUp("pg" + s, "", "pg" + s + "@example.test", PASSWORD.toCharArray()));
        Account stranger = inTx(() -> accounts.signUp("pgs" + s, "", "pgs" + s + "@example.test",
                PASSWORD.toCharArray()));
        String orgName = "paged-" + s;
        as(owner);
        inTx(() -> orgs.create(orgName, ""));
        List<String> all = new ArrayList<>();
        inTx(() -> {
            for (int i = 119; i >= 0; i--) {
                String name = String.format("m-%03d", i);
                repos.create(orgName, RepoKind.MODEL, name, i % 2 == 0 ? Visibility.PUBLIC : Visibility.PRIVATE, "");
                all.add(0, name);
            }
            return null;
        });

        List<String> walked = new ArrayList<>();
        OrgPage page = inTx(() -> orgs.page(orgName, Keyset.Request.FIRST));
        assertEquals(120, page.getRepoCount());
        assertNull(page.getRepoPage().previous(), "the first page has none before it");
        List<String> firstPage = names(page);
        while (true) {
            walked.addAll(names(page));
            assertTrue(page.getRepos().size() <= Keyset.SIZE);
            String next = page.getRepoPage().next();
            if (next == null) {
                break;
            }
            page = inTx(() -> orgs.page(orgName, Keyset.Request.of(null, next, null)));
        }
        assertEquals(all, walked, "every repository once, in name order, over three pages");
        String backTo = page.getRepoPage().previous();
        OrgPage middle = inTx(() -> orgs.page(orgName, Keyset.Request.of(null, null, backTo)));
        assertEquals(all.subList(50, 100), names(middle), "backwards from the last page");
        OrgPage first = inTx(() -> orgs.page(orgName, Keyset.Request.of(null, null, middle.getRepoPage().previous())));
        assertEquals(firstPage, names(first));
        assertNull(first.getRepoPage().previous());

        assertEquals(all.subList(10, 20), names(inTx(() -> orgs.page(orgName, Keyset.Request.of("M-01", null,
                null)))), "search by part of the name, any case");
        assertEquals(List.of(), names(inTx(() -> orgs.page(orgName, Keyset.Request.of("m_0", null, null)))),
                "LIKE wildcards are plain characters");

        as(stranger);
        OrgPage publicOnes = inTx(() -> orgs.page(orgName, Keyset.Request.FIRST));
        assertEquals(60, publicOnes.getRepoCount());
        assertEquals(all.stream().filter(n -> Integer.parseInt(n.substring(2)) % 2 == 0).limit(Keyset.SIZE)
                .toList(), names(publicOnes), "a non-member sees public repositories only, still 50 a page");

        as(owner);
        inTx(() -> orgs.addMember(orgName, stranger.getUsername(), Role.READ));
        Keyset.Slice<org.hubsso.hub.Membership> members = inTx(() -> orgs.members(orgName, Keyset.Request.of(
                "pgs" + s, null, null)));
        assertEquals(List.of(stranger.getUsername()), members.rows().stream().map(m -> m.getAccount()
                .getUsername()).toList());
        assertEquals(2, inTx(() -> orgs.memberCount(orgName)));
        assertEquals(List.of(orgName), inTx(() -> orgs.all(Keyset.Request.of(orgName, null, null))).rows().stream()
                .map(Organization::getName).toList(), "the home page's search of all organizations");
        assertEquals(List.of(orgName), inTx(() -> orgs.mine(Keyset.Request.of("paged-" + s, null, null))).rows()
                .stream().map(m -> m.getOrganization().getName()).toList());
    }

    @Test
    void theInterceptorAppliesThePolicyToEveryGuardedMethod() throws Exception {
        String s = suffix();
        Account owner = inTx(() -> accounts.signUp("own" + s, "", "own" + s + "@example.test", PASSWORD.toCharArray()));
        Account reader = inTx(() -> accounts.signUp("rd" + s, "", "rd" + s + "@example.test", PASSWORD.toCharArray()));
        Account stranger = inTx(() -> accounts.signUp("st" + s, "", "st" + s + "@example.test", PASSWORD.toCharArray()));
        String orgName = "guard-" + s;

        as(owner);
        inTx(() -> orgs.create(orgName, ""));
        inTx(() -> repos.create(orgName, RepoKind.MODEL, "open", Visibility.PUBLIC, ""));
        inTx(() -> repos.create(orgName, RepoKind.MODEL, "closed", Visibility.PRIVATE, ""));
        inTx(() -> orgs.addMember(orgName, reader.getUsername(), Role.READ));

        as(stranger);
        assertEquals(List.of("open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))));
        assertDenied(Decision.NOT_FOUND, () -> repos.view(orgName, "closed"));
        assertDenied(Decision.NOT_FOUND, () -> orgs.members(orgName, Keyset.Request.FIRST));
        assertDenied(Decision.FORBIDDEN, () -> repos.create(orgName, RepoKind.MODEL, "x", Visibility.PUBLIC, ""));
        assertDenied(Decision.NOT_FOUND, () -> orgs.page("no-such-org-" + s, Keyset.Request.FIRST));

        Account siteAdmin = accounts.findByUsername(ADMIN).orElseThrow();
        assertTrue(siteAdmin.isSiteAdmin());
        as(siteAdmin);
        assertDenied(Decision.NOT_FOUND, () -> repos.view(orgName, "closed"));
        assertDenied(Decision.NOT_FOUND, () -> orgs.settings(orgName));

        as(reader);
        assertEquals(List.of("closed", "open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))));
        assertDenied(Decision.FORBIDDEN, () -> repos.create(orgName, RepoKind.MODEL, "x", Visibility.PUBLIC, ""));
        assertDenied(Decision.FORBIDDEN, () -> orgs.members(orgName, Keyset.Request.FIRST));
        assertDenied(Decision.FORBIDDEN, () -> {
            orgs.changeRole(orgName, 1L, Role.ADMIN);
            return null;
        });

        // The organization enforces SSO: members need a valid org SSO session, even for public content.
        Organization org = inTx(() -> orgs.settings(orgName), owner);
        inTx(() -> {
            em.find(OrgSsoSettings.class, org.getId()).setEnabled(true, Instant.now());
            return null;
        });
        as(reader);
        assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
        assertDenied(Decision.SSO_REQUIRED, () -> repos.view(orgName, "open"));
        as(owner);
        assertDenied(Decision.SSO_REQUIRED, () -> orgs.members(orgName, Keyset.Request.FIRST));
        as(stranger);
        assertEquals(List.of("open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))), "non-members need no SSO");
        assertEquals("open", inTx(() -> repos.view(orgName, "open")).getName());

        Instant now = Instant.now();
        as(reader);
        String readersSignIn = viewer.getSignInId();
        inTx(() -> {
            em.persist(new OrgSsoSession(org.getId(), reader.getId(), readersSignIn, now,
                    now.plus(Duration.ofHours(1))));
            return null;
        });
        assertEquals(List.of("closed", "open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))));
        try {
            clock.use(Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));
            assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
        } finally {
            clock.use(Clock.systemUTC());
        }
        assertEquals(List.of("closed", "open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))));

        // The SSO session belongs to the sign-in it was made in: the same member signed in anew (another browser,
        // the password alone) must pass the IdP again; the first sign-in keeps its session until it signs out.
        viewer.signIn(reader.getId(), reader.getUsername());
        assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
        as(reader);
        assertEquals(List.of("closed", "open"), names(inTx(() -> orgs.page(orgName, Keyset.Request.FIRST))));
        inTx(() -> {
            viewer.signOut();
            return null;
        });
        assertTrue(inTx(() -> em.find(OrgSsoSession.class, em.createQuery("select s.id from OrgSsoSession s"
                + " where s.signInId = :si", Long.class).setParameter("si", readersSignIn).getSingleResult()))
                .getRevokedAt() != null, "signing out ended the SSO session made in that sign-in");

        // Over HTTP the same decision renders the single sign-on page state with a 403.
        WebClient web = new WebClient(URI.create("http://127.0.0.1:" + request.getLocalPort()
                + request.getContextPath() + "/"));
        web.signIn(owner.getUsername(), PASSWORD);
        Page page = web.get("/" + orgName);
        assertEquals(403, page.status());
        assertEquals("sso-required", page.header("X-Hub-Access"));
        assertTrue(page.contains("Single sign-on required"));
        assertFalse(page.contains("closed"), "nothing of the organization's content leaks");
    }

    @Test
    @RunAsClient
    void auditExportsStreamTheWholeHistory() {
        WebClient admin = admin();
        String orgName = newOrg(admin, "export");
        int seeded = 1234;
        assertEquals(204, admin.post("/it-support/audit-seed", Map.of("org", orgName, "count",
                String.valueOf(seeded), "account", ADMIN)).status());
        String path = "/organizations/" + orgName + "/settings/audit";
        Page csv = admin.get(path + ".csv?event=org.settings");
        assertEquals(200, csv.status(), csv::body);
        String[] lines = csv.body().split("\r\n");
        assertEquals(seeded + 1, lines.length, "a header and every record");
        assertEquals(seeded, java.util.Arrays.stream(lines).skip(1).map(l -> l.substring(0, l.indexOf(',')))
                .distinct().count(), "no record twice");
        Page json = admin.get(path + ".json?event=org.settings&member=" + ADMIN);
        jakarta.json.JsonArray records = jakarta.json.Json.createReader(new java.io.StringReader(json.body()))
                .readArray();
        long expected = java.util.stream.IntStream.range(0, seeded).filter(i -> i % 3 == 0 || i % 2 == 0).count();
        assertEquals(expected, records.size(), "the admin as actor or as member, each record once");
        long previous = Long.MAX_VALUE;
        for (jakarta.json.JsonObject r : records.getValuesAs(jakarta.json.JsonObject.class)) {
            assertTrue(r.getJsonNumber("id").longValue() < previous, "newest first, no repeats");
            previous = r.getJsonNumber("id").longValue();
        }
        // The same filter page by page: 50 a page, the pages together are the export.
        List<String> paged = new ArrayList<>();
        String link = "?event=org.settings&member=" + ADMIN;
        for (int pageNo = 0; link != null && pageNo < 100; pageNo++) {
            Page page = admin.get(path + link);
            paged.addAll(rowIds(page.body()));
            java.util.regex.Matcher next = java.util.regex.Pattern.compile("id=\"audit-next\" href=\"([^\"]*)\"")
                    .matcher(page.body());
            link = next.find() ? next.group(1).replace("&amp;", "&") : null;
        }
        List<String> exported = records.getValuesAs(jakarta.json.JsonObject.class).stream()
                .map(r -> String.valueOf(r.getJsonNumber("id").longValue())).toList();
        assertEquals(exported, paged);
    }

    @Inject
    org.hubsso.sso.SsoPolicyService policies;

    @Inject
    org.hubsso.sso.SsoSessions sessions;

    @Test
    void sessionsFollowTheCurrentTimeoutRevocationAndManualRolesUnderMapping() throws Exception {
        String s = suffix();
        Account owner = inTx(() -> accounts.signUp("tow" + s, "", "tow" + s + "@example.test", PASSWORD.toCharArray()));
        Account reader = inTx(() -> accounts.signUp("trd" + s, "", "trd" + s + "@example.test", PASSWORD.toCharArray()));
        String orgName = "timeout-" + s;
        as(owner);
        inTx(() -> orgs.create(orgName, ""));
        org.hubsso.hub.Membership readerMembership = inTx(() -> orgs.addMember(orgName, reader.getUsername(), Role.READ));
        assertEquals("timeout", assertThrows(org.hubsso.hub.ValidationException.class,
                () -> inTx(() -> policies.saveSessionTimeout(orgName, 14L, "minutes"))).getField());
        assertThrows(org.hubsso.hub.ValidationException.class,
                () -> inTx(() -> policies.saveSessionTimeout(orgName, 2161L, "hours")));
        assertEquals(Duration.ofMinutes(15), inTx(() -> policies.saveSessionTimeout(orgName, 15L, "minutes")));
        assertEquals(Duration.ofDays(90), inTx(() -> policies.saveSessionTimeout(orgName, 90L, "days")));
        assertEquals(Duration.ofDays(7), inTx(() -> policies.saveSessionTimeout(orgName, 7L, "days")));

        // SSO on; both have a session created now under the 7-day timeout.
        Organization org = inTx(() -> orgs.settings(orgName));
        Instant now = Instant.now();
        String ownersSignIn = viewer.getSignInId();
        as(reader);
        String readersSignIn = viewer.getSignInId();
        inTx(() -> {
            em.find(OrgSsoSettings.class, org.getId()).setEnabled(true, now);
            em.persist(new OrgSsoSession(org.getId(), reader.getId(), readersSignIn, now, now.plus(Duration.ofDays(7))));
            em.persist(new OrgSsoSession(org.getId(), owner.getId(), ownersSignIn, now, now.plus(Duration.ofDays(7))));
            return null;
        });
        as(reader);
        try {
            clock.use(Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));
            assertEquals(orgName, inTx(() -> orgs.page(orgName, Keyset.Request.FIRST)).getOrg().getName(), "2 hours into 7 days");
            as(owner);
            assertEquals(Duration.ofHours(1), inTx(() -> policies.saveSessionTimeout(orgName, 1L, "hours")));
            as(reader);
            assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
            clock.use(Clock.fixed(now.plus(Duration.ofMinutes(30)), ZoneOffset.UTC));
            assertEquals(orgName, inTx(() -> orgs.page(orgName, Keyset.Request.FIRST)).getOrg().getName(), "30 minutes into 1 hour");
            // Raising the timeout again does not stretch a session beyond the expiry it got at login.
            inTx(() -> {
                em.find(OrgSsoSettings.class, org.getId()).setSessionTimeout(Duration.ofDays(90), now);
                return null;
            });
            clock.use(Clock.fixed(now.plus(Duration.ofDays(8)), ZoneOffset.UTC));
            assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
        } finally {
            clock.use(Clock.systemUTC());
        }

        // Revocation of one member: that member needs SSO again, the admin does not.
        as(owner);
        assertEquals(1, inTx(() -> sessions.revokeMember(orgName, readerMembership.getId())));
        as(reader);
        assertDenied(Decision.SSO_REQUIRED, () -> orgs.page(orgName, Keyset.Request.FIRST));
        as(owner);
        assertEquals(1, inTx(() -> orgs.members(orgName, Keyset.Request.FIRST)).rows().stream().filter(m -> m.getRole() == Role.ADMIN).count());

        // With role mapping on, manual role changes are refused by the service itself.
        inTx(() -> {
            em.find(OrgSsoSettings.class, org.getId()).configureRoleMapping(true, "groups",
                    Map.of("hub-admins", Role.ADMIN), false, now);
            return null;
        });
        org.hubsso.hub.ValidationException refused = assertThrows(org.hubsso.hub.ValidationException.class,
                () -> inTx(() -> {
                    orgs.changeRole(orgName, readerMembership.getId(), Role.WRITE);
                    return null;
                }));
        assertTrue(refused.getMessage().contains("role mapping"), refused.getMessage());
        assertTrue(inTx(() -> orgs.rolesFromIdp(orgName)));

        // Everyone's sessions, the admin's included; all audited.
        assertEquals(1, inTx(() -> sessions.revokeAll(orgName)));
        assertDenied(Decision.SSO_REQUIRED, () -> orgs.members(orgName, Keyset.Request.FIRST));
        List<String> events = inTx(() -> em.createQuery("select e.event from AuditEntry e where e.orgId = :o",
                String.class).setParameter("o", org.getId()).getResultList());
        assertEquals(2, events.stream().filter("sso.session.revoke"::equals).count(), events::toString);
        assertTrue(events.contains("sso.settings"), "timeout changes are audited");
    }

    @Inject
    org.hubsso.account.EmailTokens tokens;

    @Inject
    org.hubsso.account.EmailVerification verification;

    @Inject
    org.hubsso.account.Passwords passwords;

    /** Mail links expire: a verification link after 24 hours, a reset link after one hour; an expired one does nothing. */
    @Test
    void mailLinksExpire() throws Exception {
        String s = suffix();
        Account ann = inTx(() -> accounts.signUp("exp" + s, "", "exp" + s + "@example.test", PASSWORD.toCharArray()));
        Long emailId = inTx(() -> accounts.emails(ann.getId()).get(0).getId());
        Instant now = Instant.now();
        try {
            clock.use(Clock.fixed(now, ZoneOffset.UTC));
            String verify = inTx(() -> tokens.issue(org.hubsso.account.EmailTokens.Purpose.VERIFY, ann.getId(),
                    emailId));
            clock.use(Clock.fixed(now.plus(Duration.ofHours(24)).plusSeconds(1), ZoneOffset.UTC));
            assertEquals(org.hubsso.account.EmailVerification.Outcome.EXPIRED,
                    inTx(() -> verification.verify(ann.getId(), verify)).outcome());
            assertFalse(inTx(() -> accounts.emails(ann.getId()).get(0).isVerified()), "nothing changed");

            clock.use(Clock.fixed(now, ZoneOffset.UTC));
            String reset = inTx(() -> tokens.issue(org.hubsso.account.EmailTokens.Purpose.RESET, ann.getId(),
                    emailId));
            clock.use(Clock.fixed(now.plus(Duration.ofMinutes(59)), ZoneOffset.UTC));
            assertEquals(org.hubsso.account.Passwords.Outcome.RESET, inTx(() -> passwords.checkReset(reset)));
            clock.use(Clock.fixed(now.plus(Duration.ofHours(1)).plusSeconds(1), ZoneOffset.UTC));
            assertEquals(org.hubsso.account.Passwords.Outcome.EXPIRED, inTx(() -> passwords.reset(reset,
                    "a-new-password-1".toCharArray(), "a-new-password-1".toCharArray())));
            assertTrue(accounts.authenticate("exp" + s, PASSWORD.toCharArray()).isPresent(), "the password stayed");
            // A verification link of the right age still works, once.
            clock.use(Clock.fixed(now, ZoneOffset.UTC));
            String fresh = inTx(() -> tokens.issue(org.hubsso.account.EmailTokens.Purpose.VERIFY, ann.getId(),
                    emailId));
            clock.use(Clock.fixed(now.plus(Duration.ofHours(23)), ZoneOffset.UTC));
            assertEquals(org.hubsso.account.EmailVerification.Outcome.VERIFIED,
                    inTx(() -> verification.verify(ann.getId(), fresh)).outcome());
            assertTrue(inTx(() -> accounts.emails(ann.getId()).get(0).isVerified()));
            assertTrue(inTx(() -> accounts.emails(ann.getId()).get(0).isPrimary()));
        } finally {
            clock.use(Clock.systemUTC());
        }
    }

    @Inject
    org.hubsso.access.ViewerSession viewerSession;

    /** The hub sign-in of each account this test acts as: one browser per account, as a person would have. */
    private final Map<Long, String> signIns = new java.util.HashMap<>();

    /** Acts as {@code account}: its browser's sign-in, opened at its first use in the test method. */
    private void as(Account account) {
        request.getSession(true);
        String kept = signIns.get(account.getId());
        if (kept == null) {
            viewer.signIn(account.getId(), account.getUsername());
            signIns.put(account.getId(), viewer.getSignInId());
        } else {
            org.hubsso.access.TestSignIns.resume(viewerSession, account.getId(), account.getUsername(), kept);
        }
    }

    private <T> T inTx(Callable<T> work, Account as) throws Exception {
        as(as);
        return inTx(work);
    }

    private <T> T inTx(Callable<T> work) throws Exception {
        tx.begin();
        try {
            T result = work.call();
            tx.commit();
            return result;
        } catch (Exception | Error e) {
            tx.rollback();
            throw e;
        }
    }

    private void assertDenied(Decision expected, Callable<?> call) {
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> inTx(call));
        assertEquals(expected, e.getDecision());
    }

    private static List<String> names(OrgPage page) {
        return page.getRepos().stream().map(Repo::getName).toList();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private WebClient client() {
        return new WebClient(URI.create(base.toString()));
    }

    /** A new account, signed in. */
    private WebClient signedUp(String prefix) {
        WebClient web = client();
        String username = prefix + "-" + suffix();
        Page done = web.submit(web.get("/join"), "join", "submit", Map.of("username", username,
                "displayName", prefix, "email", username + "@example.test", "password", PASSWORD));
        assertEquals(302, done.status(), () -> done.body());
        return web.username(username);
    }

    private WebClient admin() {
        WebClient admin = client();
        admin.signIn(ADMIN, ADMIN_PASSWORD);
        return admin;
    }

    /**
     * Changes a role as the members page does: the page searched for the member, and the form posted to its own
     * action with its hidden fields (the page's search), so the row acted on is the row rendered.
     */
    private static void changeRole(WebClient admin, String org, String username, String role) {
        Page members = admin.get("/organizations/" + org + "/settings/members?q=" + username);
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("<form id=\"members\"[^>]* action=\"([^\"]+)\"")
                .matcher(members.body());
        assertTrue(action.find(), members::body);
        assertTrue(members.contains("<input type=\"hidden\" name=\"q\" value=\"" + username.toLowerCase(java.util.Locale.ROOT) + "\""),
                "the search goes back with the form");
        String[] rows = members.body().split("<tr class=\"member\"");
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].contains("data-username=\"" + username + "\"")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"(members:[^\"]+:role)\"")
                        .matcher(rows[i]);
                assertTrue(m.find(), "role select of " + username);
                String select = m.group(1);
                String button = select.substring(0, select.length() - "role".length()) + "save";
                Page changed = admin.post(members.uri().resolve(action.group(1).replace("&amp;", "&")).toString(), Map.of("members", "members", select,
                        role, button, "Change role", "q", username, "jakarta.faces.ViewState", members.viewState()));
                assertEquals(302, changed.status(), () -> changed.body());
                return;
            }
        }
        throw new AssertionError(username + " is not on the members page");
    }

    private static String stateOf(Page page) {
        String body = page.body();
        int start = body.indexOf("<main");
        int end = body.indexOf("</main>");
        return start < 0 || end < 0 ? body : body.substring(start, end).replaceAll("value=\"[^\"]*\"", "");
    }

}
