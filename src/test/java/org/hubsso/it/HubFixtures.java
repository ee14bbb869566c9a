package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hubsso.it.WebClient.Page;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the in-server tests do over HTTP as people would, in one place: the deployments, the bootstrap admin, new
 * members with a verified email, new organizations and members, and the audit trail as an admin exports it (or, for
 * tests that must also see refusals nobody signed in caused, as the test-only servlet lists it).
 */
final class HubFixtures {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = System.getProperty("hub.test.admin.password", "test-admin-password-1");
    static final String PASSWORD = "correct-horse-battery";

    private HubFixtures() {
    }

    /** The built WAR, as an operator deploys it. */
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")));
    }

    /** The built WAR with the test-only servlet ({@link TestSupportServlet}). */
    static WebArchive warWithTestSupport() {
        return war().addClasses(TestSupportServlet.class, HubFixtures.class);
    }

    /** Eight random characters, to keep names of one run apart from another's. */
    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A browser signed in as the bootstrap admin. */
    static WebClient admin(URL base) {
        WebClient admin = new WebClient(URI.create(base.toString()));
        assertEquals(200, admin.signIn(ADMIN, ADMIN_PASSWORD).status());
        return admin;
    }

    /**
     * Signs up {@code username} with the email {@code username@example.test} and marks it verified through the
     * test-only servlet (the deployment needs {@link #warWithTestSupport()}).
     */
    static WebClient verifiedMember(URI base, String username) {
        WebClient web = new WebClient(base);
        Page done = web.submit(web.get("/join"), "join", "submit", Map.of("username", username, "displayName",
                username, "email", username + "@example.test", "password", PASSWORD));
        assertEquals(302, done.status(), done::body);
        Page verified = web.post("/it-support/verify-emails", Map.of("username", username));
        assertEquals(204, verified.status());
        return web.username(username);
    }

    /** Creates an organization named {@code prefix-<random>} through the UI; the signed-in creator is its admin. */
    static String newOrg(WebClient admin, String prefix) {
        String name = prefix + "-" + suffix();
        Page created = admin.submit(admin.get("/organizations/new"), "org", "submit",
                Map.of("name", name, "displayName", prefix + " " + name));
        assertEquals(302, created.status(), created::body);
        return name;
    }

    static void addMember(WebClient admin, String org, String username, String role) {
        Page members = admin.get("/organizations/" + org + "/settings/members");
        Page added = admin.submit(members, "add", "submit", Map.of("username", username, "role", role));
        assertEquals(302, added.status(), added::body);
    }

    /** The organization's audit records matching {@code query}, as its JSON export gives them, oldest first. */
    static List<JsonObject> auditOf(WebClient admin, String org, String query) {
        Page page = admin.get("/organizations/" + org + "/settings/audit.json?" + query);
        assertEquals(200, page.status(), page::body);
        List<JsonObject> rows = new ArrayList<>(Json.createReader(new StringReader(page.body())).readArray()
                .getValuesAs(JsonObject.class));
        Collections.reverse(rows);
        return rows;
    }

    /**
     * The organization's whole audit trail from the test-only servlet, newest first, one line per record:
     * {@code event outcome reason actor}.
     */
    static List<String> auditLines(URL base, String org) {
        Page page = new WebClient(URI.create(base.toString())).get("/it-support/audit?org=" + org);
        assertEquals(200, page.status(), page::body);
        return page.body().isEmpty() ? List.of() : List.of(page.body().split("\n"));
    }
}
