package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.hubsso.TestPostgres;
import org.hubsso.it.WebClient.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One node on PostgreSQL reached through a loopback proxy the test controls ({@link TcpProxy}): when the proxy is
 * cut the database is gone for the node (the real server keeps running), and every request that needs it, anonymous
 * or signed in, is answered quickly with 503, {@code Retry-After} and the hub's "temporarily unavailable" page, while
 * readiness says DOWN; once the proxy is back the node recovers by itself and the session is still signed in.
 * Measurements go to target/measurements/outage.txt. Last, the node loses its data grid (Payara: its Hazelcast
 * instance is shut down; WildFly: the Infinispan cache manager of its sessions is stopped) and readiness says DOWN,
 * so a load balancer stops sending users to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {

    static final int HTTP = Integer.getInteger("hub.test.http.port", 18480);
    static final int HZ = Integer.getInteger("hub.test.cluster.port", 18490);
    static final int PORT = HTTP + (ClusterNode.WILDFLY ? 350 : 6);
    static final int PROXY = HTTP + 7;
    static final String ADMIN_PASSWORD = "outage-admin-password-1";

    final List<String> report = new ArrayList<>();
    PGSimpleDataSource pg;
    String database;
    TcpProxy proxy;
    ClusterNode node;

    @BeforeAll
    void startANodeBehindTheProxy() throws Exception {
        pg = TestPostgres.required("the outage test needs it");
        database = "hub_outage_" + UUID.randomUUID().toString().substring(0, 8);
        sql("CREATE DATABASE " + database);
        proxy = new TcpProxy(pg.getServerNames()[0], pg.getPortNumbers()[0], PROXY);

        PGSimpleDataSource viaProxy = new PGSimpleDataSource();
        viaProxy.setServerNames(new String[] {"127.0.0.1"});
        viaProxy.setPortNumbers(new int[] {PROXY});
        viaProxy.setUser(pg.getUser());
        Path work = Path.of(System.getProperty("hub.test.dir", "target/it")).resolve("outage-" + database);
        Files.createDirectories(work);
        Path war = ClusterNode.warWithTestSupport(work);
        Map<String, String> env = ClusterNode.clusterEnv(viaProxy, database, PORT, ADMIN_PASSWORD);
        node = ClusterNode.start(work, "node", war, PORT, HZ + 5, "127.0.0.1:" + (ClusterNode.WILDFLY
                ? ClusterNode.jgroupsPort(PORT) : HZ + 5), "hub-outage-it", env);
        node.awaitReady(Duration.ofMinutes(5));
    }

    @Test
    @Order(1)
    void requestsAreAnswered503WhileTheDatabaseIsAwayAndRecoverAfter() throws Exception {
        WebClient admin = new WebClient(node.uri());
        assertTrue(admin.signIn("admin", ADMIN_PASSWORD).contains("Your organizations"));
        String org = HubFixtures.newOrg(admin, "outage");
        WebClient anonymous = new WebClient(node.uri());
        assertEquals(200, anonymous.get("/" + org).status());

        proxy.cut();
        try {
            for (String[] request : List.of(new String[] {"anonymous", "/" + org}, new String[] {"signed-in",
                    "/settings/account"}, new String[] {"signed-in", "/"}, new String[] {"anonymous", "/login"})) {
                WebClient client = request[0].equals("anonymous") ? anonymous : admin;
                long started = System.nanoTime();
                Page page = client.get(request[1]);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (page.status() == 200 && request[1].equals("/login")) {
                    report.add(String.format("database away: %s %s needs no database: 200 in %.2f s", request[0],
                            request[1], seconds));
                    continue;
                }
                assertEquals(503, page.status(), () -> request[0] + " " + request[1] + ": " + page.body());
                assertEquals("10", page.header("Retry-After"));
                assertTrue(page.contains("Temporarily unavailable"), page::body);
                assertFalse(page.body().contains("Exception") || page.body().contains("at org."), page::body);
                assertTrue(seconds < 3, request[1] + " took " + seconds + " s (connection attempts are bounded at 2 s)");
                report.add(String.format("database away: %s %s answered 503 in %.2f s", request[0], request[1],
                        seconds));
            }
            Page ready = new WebClient(node.healthUri()).get("/health/ready");
            assertEquals(503, ready.status(), ready::body);
            assertTrue(ready.contains("DOWN"), ready::body);
        } finally {
            proxy.restore();
        }
        long back = System.nanoTime();
        int status = 0;
        while (status != 200 && System.nanoTime() - back < Duration.ofSeconds(60).toNanos()) {
            Thread.sleep(100);
            status = anonymous.get("/" + org).status();
        }
        assertEquals(200, status, "the node recovers by itself");
        report.add(String.format("database back: the first page answered 200 %.2f s after the proxy was restored",
                (System.nanoTime() - back) / 1e9));
        Page account = admin.get("/settings/account");
        assertEquals(200, account.status(), "still signed in after the outage");
        assertTrue(account.contains("admin"));
        assertEquals(200, new WebClient(node.healthUri()).get("/health/ready").status(), "ready again");
    }

    @Test
    @Order(2)
    void readinessIsDownOnANodeThatLeftItsGrid() {
        WebClient health = new WebClient(node.healthUri());
        Page ready = health.get("/health/ready");
        assertEquals(200, ready.status(), ready::body);
        assertTrue(ready.contains(ClusterNode.WILDFLY ? "\"grid\":\"infinispan\"" : "\"grid\":\"hazelcast\""),
                ready::body);
        assertEquals(204, new WebClient(node.uri()).post("/it-support/grid-shutdown", Map.of()).status());
        Page down = health.get("/health/ready");
        assertEquals(503, down.status(), down::body);
        Map<String, String> checks = new java.util.HashMap<>();
        jakarta.json.Json.createReader(new java.io.StringReader(down.body())).readObject().getJsonArray("checks")
                .getValuesAs(jakarta.json.JsonObject.class)
                .forEach(check -> checks.put(check.getString("name"), check.getString("status")));
        assertEquals("DOWN", checks.get("hub-grid"), down::body);
        assertEquals("UP", checks.get("hub-database"), down::body);
        report.add("grid left: readiness DOWN (hub-grid) at once; the database check stays UP");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            if (database != null) {
                sql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (!report.isEmpty()) {
                Path out = Path.of("target", "measurements", "outage" + (ClusterNode.WILDFLY ? "-wildfly" : "")
                        + ".txt");
                Files.createDirectories(out.getParent());
                report.add(0, "DatabaseOutageIT " + java.time.Instant.now() + ", "
                        + (ClusterNode.WILDFLY ? "WildFly" : "Payara Micro"));
                Files.write(out, report, StandardCharsets.UTF_8);
                report.forEach(line -> System.out.println("[measurement] " + line));
            }
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

}
