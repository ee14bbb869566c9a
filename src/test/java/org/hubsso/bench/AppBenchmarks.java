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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.hubsso.TestPostgres;
import org.hubsso.bench.floor.FloorDataSource;
import org.hubsso.bench.floor.FloorNote;
import org.hubsso.bench.floor.FloorPage;
import org.hubsso.bench.floor.FloorReadiness;
import org.hubsso.bench.floor.FloorStart;
import org.hubsso.it.ClusterNode;
import org.hubsso.it.SamlFlow;
import org.hubsso.it.WebClient;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Whole-application benchmarks against Payara Micro on loopback (not JMH: they time a server, not a method). Run by
 * {@code ./mvnw -Pbench-app -Dbench.app=startup|page|logins|soak|floor-requests|scale}; results are printed and written to
 * target/measurements/, and recorded by hand in BENCHMARKS.md. They measure, they assert nothing.
 * <ul>
 * <li>{@code startup}: time from launch to the first 200 and resident memory of the hub WAR vs an empty WAR (and vs
 * the rungs of the platform floor, {@code org.hubsso.bench.floor}) on the same Payara Micro with the same options, in
 * turn, {@code bench.rounds} times each.</li>
 * <li>{@code page}: one node on a fresh PostgreSQL database seeded with 10,000 organizations and 100,000
 * memberships; the same signed-in member reads a public repository page of an organization that enforces SSO (with
 * a valid org SSO session from a real SAML sign-in through the in-test IdP) and the same page of an organization
 * without SSO, with {@code bench.threads} client threads, in rounds in which each page goes first every other
 * time.</li>
 * <li>{@code logins}: full SAML login round trips per second through the in-test IdP and through a real Keycloak,
 * and the hub's CPU per login against Keycloak's ({@link LoginBenchmark}).</li>
 * <li>{@code soak}: {@link SoakBenchmark}, mixed traffic on two cluster nodes for {@code bench.soak.minutes}, with
 * every answer counted by kind and status, and the heap after a full GC of both nodes every minute.</li>
 * <li>{@code floor-requests}: the CPU one request of the platform floor's Faces page costs Payara.</li>
 * <li>{@code scale}: {@link ScaleBenchmark}, pages and exports of an organization of enterprise size.</li>
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
            case "floor-requests" -> floorRequests(work, report);
            case "scale" -> ScaleBenchmark.run(work, report);
            default -> throw new IllegalArgumentException("startup, page, logins, soak, floor-requests or scale");
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
        Path hub = Path.of(System.getProperty("hub.war"));
        Map<String, Path> wars = new LinkedHashMap<>();
        wars.put("empty", empty);
        for (Rung rung : Rung.values()) {
            wars.put(rung.label, floorWar(work, rung, hub));
        }
        wars.put("hub", hub);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            List<String> round = new ArrayList<>();
            for (Map.Entry<String, Path> war : wars.entrySet()) {
                String probe = war.getKey().equals("empty") ? "/index.html"
                        : war.getKey().equals("hub") ? "/login" : "/index.xhtml";
                double[] run = boot(work, war.getValue().getFileName().toString().replace(".war", "") + "-" + r,
                        war.getValue(), probe);
                runs.computeIfAbsent(war.getKey(), k -> new ArrayList<>()).add(run);
                round.add(String.format("%s %.1f s, %.0f MB", war.getKey(), run[0], run[1]));
            }
            report.add("round " + (r + 1) + ": " + String.join("; ", round));
        }
        double[] e = median(runs.get("empty"));
        double[] previous = e;
        for (Map.Entry<String, List<double[]>> war : runs.entrySet()) {
            double[] m = median(war.getValue());
            report.add(String.format("median %s: %.1f s, %.0f MB: %.2fx the empty WAR, %+.0f MB; %+.1f s, %+.0f MB"
                    + " on the line before", war.getKey(), m[0], m[1], m[0] / e[0], m[1] - e[1], m[0] - previous[0],
                    m[1] - previous[1]));
            previous = m;
        }
    }

    /**
     * The rungs of the platform floor ({@code org.hubsso.bench.floor}), each adding one part of what the hub uses to
     * the one before, with none of the hub's own code: {@link #PLATFORM} is all of the platform the hub uses,
     * {@link #LIBRARIES} adds the hub's libraries on top.
     */
    enum Rung {
        /** A Faces page with a form, a distributable web module (Faces 4 needs CDI enabled, so with a beans.xml). */
        FACES("Faces"),
        /** One CDI bean of the application's own: a MicroProfile readiness check. */
        CDI("+ CDI bean, health check"),
        /** A {@code @DataSourceDefinition} on embedded H2, JPA with JTA, a bean reading it on the page. */
        JPA("+ datasource, JPA"),
        /** A startup EJB writing a row and an EJB timer, as the hub's housekeeping: the whole platform floor. */
        PLATFORM("+ EJB timer (platform floor)"),
        /** The hub's own WEB-INF/lib (Nimbus, keycloak-saml-core, Flyway, json-path, ...), used by nothing. */
        LIBRARIES("+ the hub's libraries");

        final String label;

        Rung(String label) {
            this.label = label;
        }
    }

    /** One rung of the platform floor (see {@link Rung}); the hub WAR is read for its libraries only. */
    static Path floorWar(Path work, Rung rung, Path hub) throws Exception {
        Path war = work.resolve("floor-" + rung.name().toLowerCase(Locale.ROOT) + ".war");
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
        boolean jpa = rung.compareTo(Rung.JPA) >= 0;
        String page = """
                <!DOCTYPE html>
                <html xmlns="http://www.w3.org/1999/xhtml" xmlns:h="jakarta.faces.html">
                <h:head><title>floor</title></h:head>
                <h:body>
                    <h:form id="f"><h:outputText value="%s"/><h:commandButton value="Go"/></h:form>
                </h:body>
                </html>
                """.formatted(jpa ? "#{floorPage.starts}" : "#{2 + 2}");
        WebArchive archive = ShrinkWrap.create(WebArchive.class, war.getFileName().toString())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\""
                        + " version=\"4.0\" bean-discovery-mode=\"annotated\"/>"), "beans.xml")
                .addAsWebInfResource(new File("src/main/webapp/WEB-INF/payara-web.xml"), "payara-web.xml")
                .add(new StringAsset(page), "index.xhtml");
        if (rung.compareTo(Rung.CDI) >= 0) {
            archive.addClasses(FloorReadiness.class);
        }
        if (jpa) {
            archive.addClasses(FloorDataSource.class, FloorNote.class, FloorPage.class)
                    .addAsResource(new StringAsset(persistence), "META-INF/persistence.xml")
                    .addAsResource(new StringAsset("CREATE TABLE IF NOT EXISTS floor_note (id VARCHAR(36) PRIMARY"
                            + " KEY, started_at BIGINT);\n"), "META-INF/floor.sql")
                    .addAsLibrary(new File(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation()
                            .toURI()));
        }
        if (rung.compareTo(Rung.PLATFORM) >= 0) {
            archive.addClasses(FloorStart.class);
        }
        if (rung.compareTo(Rung.LIBRARIES) >= 0) {
            try (ZipFile zip = new ZipFile(hub.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    String name = entry.getName();
                    if (name.startsWith("WEB-INF/lib/") && name.endsWith(".jar") && !name.contains("/h2-")) {
                        archive.add(new ByteArrayAsset(zip.getInputStream(entry).readAllBytes()), name);
                    }
                }
            }
        }
        archive.as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    /**
     * The CPU one request costs the platform alone: the platform floor's Faces page (a form, one JPA query in a JTA
     * transaction, an existing HTTP session) loaded by {@code bench.threads} clients for {@code bench.seconds} after
     * {@code bench.warmup} seconds, with Payara's CPU time read before and after, with and without its JIT compiler
     * threads. A SAML login is four requests (start, ACS, completion, the page), three of them servlets without a
     * Faces view but each with its own transactions, so four such requests are a rough floor for a login on this
     * stack, not an exact one.
     */
    static void floorRequests(Path work, List<String> report) throws Exception {
        Path war = floorWar(work, Rung.PLATFORM, Path.of(System.getProperty("hub.war")));
        int threads = Integer.getInteger("bench.threads", 2);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int warmup = Integer.getInteger("bench.warmup", 90);
        try (ClusterNode node = ClusterNode.start(work, "floor-requests", war, PORT, HZ, "127.0.0.1:" + HZ,
                "hub-bench-floor-requests", ClusterNode.env())) {
            node.awaitOk("/index.xhtml", Duration.ofMinutes(5));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI page = node.uri().resolve("/index.xhtml");
            String cookie = http.send(HttpRequest.newBuilder(page).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie")
                    .map(c -> c.split(";", 2)[0])
                    .orElseThrow(() -> new IllegalStateException("the floor page set no session cookie"));
            load(http, cookie, page, threads, warmup);
            long hz = LoginBenchmark.clockTicks();
            long cpuBefore = LoginBenchmark.cpuTicks(node.pid());
            Map<Long, Long> jitBefore = LoginBenchmark.jitThreadTicks(node.pid());
            long[] latencies = load(http, cookie, page, threads, seconds);
            long cpu = LoginBenchmark.cpuTicks(node.pid()) - cpuBefore;
            long jit = LoginBenchmark.jitTicksSince(node.pid(), jitBefore);
            double perRequest = cpu * 1000.0 / hz / latencies.length;
            double withoutJit = (cpu - jit) * 1000.0 / hz / latencies.length;
            report.add(String.format("platform floor Faces page (form, one JPA query, existing session), %d threads,"
                    + " %d s after %d s warm-up: %d requests = %.0f req/s, p50 %.2f ms, p99 %.2f ms; Payara CPU %.3f ms"
                    + " per request, %.3f ms without the JIT compiler threads; four such requests %.2f ms (%.2f ms)",
                    threads, seconds, warmup, latencies.length, latencies.length / (double) seconds,
                    pct(latencies, 50), pct(latencies, 99), perRequest, withoutJit, 4 * perRequest, 4 * withoutJit));
        }
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
        PGSimpleDataSource pg = TestPostgres.server();
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
        PGSimpleDataSource target = TestPostgres.database(pg, db);
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
