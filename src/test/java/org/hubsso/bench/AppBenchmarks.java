package org.hubsso.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hubsso.it.ClusterNode;
import org.hubsso.it.SamlFlow;
import org.hubsso.it.WebClient;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Whole-application benchmarks against Payara Micro on loopback (not JMH: they time a server, not a method). Run by
 * {@code ./mvnw -Pbench-app -Dbench.app=startup|page|logins|soak}; results are printed and written to
 * target/measurements/, and recorded by hand in BENCHMARKS.md. They measure, they assert nothing.
 * <ul>
 * <li>{@code startup}: time from launch to the first 200 and resident memory of the hub WAR vs an empty WAR (and vs
 * the platform floor, {@code org.hubsso.bench.floor}) on the same Payara Micro with the same options, alternating,
 * {@code bench.rounds} times each.</li>
 * <li>{@code page}: one node on a fresh PostgreSQL database seeded with 10,000 organizations and 100,000
 * memberships; the same signed-in member reads a public repository page of an organization that enforces SSO (with
 * a valid org SSO session from a real SAML sign-in through the in-test IdP) and the same page of an organization
 * without SSO, with {@code bench.threads} client threads, in rounds in which each page goes first every other
 * time.</li>
 * <li>{@code logins}: full SAML login round trips per second through the in-test IdP and through a real Keycloak,
 * and the hub's CPU per login against Keycloak's ({@link LoginBenchmark}).</li>
 * <li>{@code soak}: {@link SoakBenchmark}, mixed traffic on two cluster nodes for {@code bench.soak.minutes}, with
 * every answer counted by kind and status, and the heap after a full GC of both nodes every minute.</li>
 * </ul>
 */
public final class AppBenchmarks {

    static final int PORT = Integer.getInteger("bench.port", 19060);
    static final int HZ = Integer.getInteger("bench.cluster.port", 19070);
    static final Path OUT = Path.of("target", "measurements");

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "startup";
        Path work = Files.createDirectories(Path.of("target", "bench-app", which + "-" + System.currentTimeMillis())
                .toAbsolutePath());
        List<String> report = new ArrayList<>();
        report.add(which + " " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ", load " + loadAverage());
        switch (which) {
            case "startup" -> startup(work, report);
            case "page" -> page(work, report);
            case "logins" -> LoginBenchmark.run(work, report);
            case "soak" -> SoakBenchmark.run(work, report);
            default -> throw new IllegalArgumentException("startup, page, logins or soak");
        }
        report.add("load at the end " + loadAverage());
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("bench-" + which + ".txt"), report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    // ---- (4) start time and memory -------------------------------------------------------------------------

    static void startup(Path work, List<String> report) throws Exception {
        Path empty = work.resolve("empty.war");
        ShrinkWrap.create(WebArchive.class, "empty.war").add(new StringAsset("<!doctype html><title>empty</title>"),
                "index.html").as(ZipExporter.class).exportTo(empty.toFile(), true);
        Path floor = floorWar(work);
        Path hub = Path.of(System.getProperty("hub.war"));
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<double[]> emptyRuns = new ArrayList<>();
        List<double[]> floorRuns = new ArrayList<>();
        List<double[]> hubRuns = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            emptyRuns.add(boot(work, "empty-" + r, empty, "/index.html"));
            floorRuns.add(boot(work, "floor-" + r, floor, "/index.xhtml"));
            hubRuns.add(boot(work, "hub-" + r, hub, "/login"));
        }
        for (int r = 0; r < rounds; r++) {
            report.add(String.format("round %d: empty WAR %.1f s, RSS %.0f MB; platform floor WAR %.1f s, RSS %.0f MB;"
                    + " hub WAR (empty H2 database: migrations + bootstrap) %.1f s, RSS %.0f MB", r + 1,
                    emptyRuns.get(r)[0], emptyRuns.get(r)[1], floorRuns.get(r)[0], floorRuns.get(r)[1],
                    hubRuns.get(r)[0], hubRuns.get(r)[1]));
        }
        double[] e = median(emptyRuns);
        double[] f = median(floorRuns);
        double[] h = median(hubRuns);
        report.add(String.format("median: empty %.1f s / %.0f MB, platform floor %.1f s / %.0f MB, hub %.1f s /"
                + " %.0f MB: start ratio %.2f, RSS +%.0f MB (vs the empty WAR); floor vs empty %.2f, +%.0f MB; hub vs"
                + " floor %.2f, %+.0f MB", e[0], e[1], f[0], f[1], h[0], h[1], h[0] / e[0], h[1] - e[1],
                f[0] / e[0], f[1] - e[1], h[0] / f[0], h[1] - f[1]));
    }

    /**
     * The platform floor ({@code org.hubsso.bench.floor}): the Jakarta EE and MicroProfile features the hub uses, on
     * embedded H2, with one entity, one EJB timer, one Faces page and a readiness check, and none of the hub's code
     * or libraries but H2.
     */
    static Path floorWar(Path work) throws Exception {
        Path war = work.resolve("floor.war");
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                    <distributable/>
                    <context-param>
                        <param-name>jakarta.faces.PROJECT_STAGE</param-name>
                        <param-value>Production</param-value>
                    </context-param>
                    <servlet>
                        <servlet-name>Faces Servlet</servlet-name>
                        <servlet-class>jakarta.faces.webapp.FacesServlet</servlet-class>
                        <load-on-startup>1</load-on-startup>
                    </servlet>
                    <servlet-mapping>
                        <servlet-name>Faces Servlet</servlet-name>
                        <url-pattern>*.xhtml</url-pattern>
                    </servlet-mapping>
                </web-app>
                """;
        String persistence = """
                <?xml version="1.0" encoding="UTF-8"?>
                <persistence version="3.0" xmlns="https://jakarta.ee/xml/ns/persistence">
                    <persistence-unit name="floor" transaction-type="JTA">
                        <jta-data-source>java:app/jdbc/floor</jta-data-source>
                        <shared-cache-mode>NONE</shared-cache-mode>
                        <properties>
                            <property name="jakarta.persistence.schema-generation.database.action" value="create"/>
                            <property name="jakarta.persistence.schema-generation.create-source" value="script"/>
                            <property name="jakarta.persistence.schema-generation.create-script-source"
                                      value="META-INF/floor.sql"/>
                        </properties>
                    </persistence-unit>
                </persistence>
                """;
        String page = """
                <!DOCTYPE html>
                <html xmlns="http://www.w3.org/1999/xhtml" xmlns:h="jakarta.faces.html">
                <h:head><title>floor</title></h:head>
                <h:body>
                    <h:form id="f"><h:outputText value="#{floorPage.starts}"/><h:commandButton value="Go"/></h:form>
                </h:body>
                </html>
                """;
        File h2 = new File(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ShrinkWrap.create(WebArchive.class, "floor.war")
                .addPackage(org.hubsso.bench.floor.FloorNote.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\""
                        + " version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml")
                .addAsWebInfResource(new File("src/main/webapp/WEB-INF/payara-web.xml"), "payara-web.xml")
                .addAsResource(new StringAsset(persistence), "META-INF/persistence.xml")
                .addAsResource(new StringAsset("CREATE TABLE IF NOT EXISTS floor_note (id VARCHAR(36) PRIMARY KEY,"
                        + " started_at BIGINT);\n"),
                        "META-INF/floor.sql")
                .add(new StringAsset(page), "index.xhtml")
                .addAsLibrary(h2)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    /** Starts one Payara Micro with the quick start's options; returns {seconds to first 200, RSS MB}. */
    static double[] boot(Path work, String name, Path war, String probe) throws Exception {
        Map<String, String> env = ClusterNode.env("HUB_DATA_DIR", work.resolve(name).resolve("data").toString(),
                "HUB_BOOTSTRAP_ADMIN_PASSWORD", "bench-admin-password-1");
        try (ClusterNode node = ClusterNode.start(work, name, war, PORT, HZ, "127.0.0.1:" + HZ, "hub-bench-" + name,
                env)) {
            double seconds = node.awaitOk(probe, Duration.ofMinutes(5));
            // The same settle time for both before reading memory: one more request, then RSS.
            new WebClient(node.uri()).get(probe);
            return new double[] {seconds, node.rssMb()};
        }
    }

    // ---- (2) SSO-protected page vs the same page without SSO -----------------------------------------------

    static void page(Path work, List<String> report) throws Exception {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[] {System.getProperty("hub.test.pg.host", "127.0.0.1")});
        pg.setPortNumbers(new int[] {Integer.getInteger("hub.test.pg.port", 5432)});
        pg.setDatabaseName(System.getProperty("hub.test.pg.database", "test"));
        pg.setUser(System.getProperty("hub.test.pg.user", "postgres"));
        String db = "hub_bench_" + UUID.randomUUID().toString().substring(0, 8);
        exec(pg, "CREATE DATABASE " + db);
        String password = "bench-admin-password-1";
        Map<String, String> env = ClusterNode.env("HUB_DB_DATASOURCE_CLASS", "org.postgresql.ds.PGSimpleDataSource",
                "HUB_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPortNumbers()[0] + "/" + db,
                "HUB_DB_USER", pg.getUser(), "HUB_DB_PASSWORD", "unused-with-trust",
                "HUB_BOOTSTRAP_ADMIN_PASSWORD", password, "HUB_DEMO", "false");
        try (ClusterNode node = ClusterNode.start(work, "node", Path.of(System.getProperty("hub.war")), PORT, HZ,
                "127.0.0.1:" + HZ, "hub-bench-page", env)) {
            node.awaitReady(Duration.ofMinutes(5));
            URI base = node.uri();
            WebClient admin = new WebClient(base);
            admin.signIn("admin", password);
            String readme = "A model card. ".repeat(40);
            for (String org : List.of("bench-sso", "bench-open")) {
                check(admin.submit(admin.get("/organizations/new"), "org", "submit", Map.of("name", org,
                        "displayName", org)), 302);
                check(admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org, "kind",
                        "model", "name", "page", "visibility", "public", "readme", readme)), 302);
            }
            // bench-sso enforces SSO; the admin (its member) signs in through the in-test IdP.
            TestIdp idp = new TestIdp("http://idp.localhost/realms/bench");
            Page save = admin.submit(admin.get("/organizations/bench-sso/settings/sso"), "saml", "test",
                    SamlFlow.samlSettings(idp, "http://127.0.0.1:9/idp/sso"));
            Page tested = throughIdp(admin, idp, base, continueToIdp(admin, save));
            Page enabled = admin.submit(tested, "state", "enable", Map.of());
            throughIdp(admin, idp, base, continueToIdp(admin, enabled));
            check(admin.get("/bench-sso/page"), 200);
            check(admin.get("/bench-open/page"), 200);
            seed(pg, db, report);

            int threads = Integer.getInteger("bench.threads", 4);
            int seconds = Integer.getInteger("bench.seconds", 15);
            int rounds = Integer.getInteger("bench.rounds", 3);
            String cookie = "HUBSESSION=" + admin.cookie("HUBSESSION");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI sso = base.resolve("/bench-sso/page");
            URI open = base.resolve("/bench-open/page");
            load(http, cookie, sso, threads, 10);
            load(http, cookie, open, threads, 10);
            List<long[]> ssoRuns = new ArrayList<>();
            List<long[]> openRuns = new ArrayList<>();
            // Each page goes first in every other round (open, SSO, SSO, open, ...): what changes in the server over
            // the run (JIT, GC, the database's caches) then falls on both pages alike, not on the one that goes first.
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    openRuns.add(load(http, cookie, open, threads, seconds));
                    ssoRuns.add(load(http, cookie, sso, threads, seconds));
                } else {
                    ssoRuns.add(load(http, cookie, sso, threads, seconds));
                    openRuns.add(load(http, cookie, open, threads, seconds));
                }
            }
            for (int r = 0; r < rounds; r++) {
                report.add(String.format("round %d (%s first): non-SSO page %.0f req/s, SSO page %.0f req/s", r + 1,
                        r % 2 == 0 ? "non-SSO" : "SSO", openRuns.get(r).length / (double) seconds,
                        ssoRuns.get(r).length / (double) seconds));
            }
            long[] s = concat(ssoRuns);
            long[] o = concat(openRuns);
            double ssoRate = s.length / (double) (rounds * seconds);
            double openRate = o.length / (double) (rounds * seconds);
            report.add(String.format("%d threads, %d rounds of %d s per page, alternating which goes first, after 10 s"
                    + " warm-up each",
                    threads, rounds, seconds));
            report.add(String.format("non-SSO org public page: %.0f req/s, p50 %.2f ms, p99 %.2f ms", openRate,
                    pct(o, 50), pct(o, 99)));
            report.add(String.format("SSO org page (valid org SSO session): %.0f req/s, p50 %.2f ms, p99 %.2f ms",
                    ssoRate, pct(s, 50), pct(s, 99)));
            report.add(String.format("ratio %.2f, p99 added %.2f ms", ssoRate / openRate, pct(s, 99) - pct(o, 99)));
        } finally {
            exec(pg, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** 10,000 organizations with a public repository each, 20,000 accounts, 100,000 memberships. */
    static void seed(PGSimpleDataSource pg, String db, List<String> report) throws Exception {
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setServerNames(pg.getServerNames());
        target.setPortNumbers(pg.getPortNumbers());
        target.setDatabaseName(db);
        target.setUser(pg.getUser());
        long started = System.nanoTime();
        try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO organization (id, name, name_key, org_uid, display_name, default_role, created_at,"
                    + " row_version) SELECT 10000000 + g, 'seed-org-' || g, 'seed-org-' || g, 'seeduid' || g,"
                    + " 'Seed ' || g, 'READ', now(), 0 FROM generate_series(1, 10000) g");
            s.execute("INSERT INTO repository (id, org_id, kind, name, name_key, visibility, readme, created_at,"
                    + " row_version) SELECT 20000000 + g, 10000000 + g, 'MODEL', 'model', 'model', 'PUBLIC', 'seed',"
                    + " now(), 0 FROM generate_series(1, 10000) g");
            s.execute("INSERT INTO account (id, username, username_key, display_name, password_hash, site_admin,"
                    + " created_at, row_version) SELECT 30000000 + g, 'seed-user-' || g, 'seed-user-' || g,"
                    + " 'Seed user', 'not-a-hash', false, now(), 0 FROM generate_series(1, 20000) g");
            s.execute("INSERT INTO membership (id, org_id, account_id, member_role, created_at, row_version)"
                    // 10 members per organization; member k of organization o is account 2000k + o mod 2000 (unique)
                    + " SELECT 40000000 + g, 10000000 + 1 + (g % 10000), 30000000 + 1 + (g / 10000) * 2000 + (g % 2000),"
                    + " 'READ',"
                    + " now(), 0 FROM generate_series(0, 99999) g");
            s.execute("ANALYZE");
            try (var rs = s.executeQuery("SELECT (SELECT count(*) FROM organization), (SELECT count(*) FROM"
                    + " membership), (SELECT count(*) FROM account)")) {
                rs.next();
                report.add(String.format("seeded in %.1f s: %d organizations, %d memberships, %d accounts",
                        (System.nanoTime() - started) / 1e9, rs.getLong(1), rs.getLong(2), rs.getLong(3)));
            }
        }
    }

    /** {@code threads} clients GET {@code uri} for {@code seconds}; returns every request's latency in ns. */
    static long[] load(HttpClient http, String cookie, URI uri, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger errors = new AtomicInteger();
        List<Future<long[]>> futures = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Cookie", cookie).timeout(Duration.ofSeconds(30))
                .GET().build();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long t1 = System.nanoTime();
                    if (res.statusCode() != 200) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t1 - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " non-200 answers from " + uri);
        }
        return concat(all);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static Page continueToIdp(WebClient browser, Page afterPost) {
        check(afterPost, 302);
        Page page = browser.follow(afterPost);
        return browser.get(page.uri().resolve(SamlFlow.refreshTarget(page)).toString());
    }

    static Page throughIdp(WebClient browser, TestIdp idp, URI node, Page redirect) {
        SamlFlow.Sent sent = SamlFlow.sent(redirect);
        Page acs = check(SamlFlow.postToAcs(node, sent, idp.answer(sent.id(), sent.spEntityId(), sent.acs(),
                "admin@hub.localhost").encoded()), 303);
        return browser.follow(browser.get(sent.acsAt(node).resolve(acs.location()).toString()));
    }

    static Page check(Page page, int status) {
        if (page.status() != status) {
            throw new IllegalStateException(page.path() + ": " + page.status() + " instead of " + status);
        }
        return page;
    }

    static void exec(PGSimpleDataSource pg, String sql) throws Exception {
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long[] concat(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1,
                Math.floor(p / 100 * sorted.length))] / 1e6;
    }

    static double[] median(List<double[]> runs) {
        double[] t = runs.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] m = runs.stream().mapToDouble(r -> r[1]).sorted().toArray();
        return new double[] {t[t.length / 2], m[m.length / 2]};
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private AppBenchmarks() {
    }

    static {
        // The WAR and the Payara Micro jar, as the failsafe tests get them.
        if (System.getProperty("hub.war") == null) {
            System.setProperty("hub.war", new File("target/hub.war").getAbsolutePath());
        }
        if (System.getProperty("payara.microJar") == null) {
            System.setProperty("payara.microJar", new File("target/payara-micro.jar").getAbsolutePath());
        }
        if (System.getProperty("hub.preBoot") == null) {
            System.setProperty("hub.preBoot", new File("server-config/pre-boot-commands.asadmin").getAbsolutePath());
        }
    }
}
