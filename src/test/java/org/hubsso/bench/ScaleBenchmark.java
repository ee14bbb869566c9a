package org.hubsso.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hubsso.TestPostgres;
import org.hubsso.it.ClusterNode;
import org.hubsso.it.WebClient;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code ./mvnw -Pbench-app -Dbench.app=scale}: one node (1 GB heap) on a fresh PostgreSQL database seeded like a
 * large enterprise: one organization with 20,000 members, 5,000 repositories and 2,000,000 audit records, and
 * 10,000 other organizations. For each page (first, deep and searched pages of the members settings, the
 * organization page, the home page and the audit log, and the member-filtered audit log) it reports p50/p99 and the
 * response size of {@code bench.rounds}×50 requests one at a time, then p50/p99 and the largest heap in use while
 * 16 clients load it for {@code bench.seconds}. Then the export of all 2,000,000 records (time, size, heap and
 * old generation while it streams) and 16 exports started at once. It measures; it asserts nothing.
 */
final class ScaleBenchmark {

    static final int MEMBERS = 20_000;
    static final int REPOS = 5_000;
    static final int AUDIT = 2_000_000;
    static final int OTHER_ORGS = 10_000;
    static final int CONCURRENT = 16;

    private ScaleBenchmark() {
    }

    static void run(Path work, List<String> report) throws Exception {
        PGSimpleDataSource pg = TestPostgres.server();
        String db = "hub_scale_" + UUID.randomUUID().toString().substring(0, 8);
        AppBenchmarks.exec(pg, "CREATE DATABASE " + db);
        String password = "scale-admin-password-1";
        Map<String, String> env = ClusterNode.env("HUB_DB_DATASOURCE_CLASS", "org.postgresql.ds.PGSimpleDataSource",
                "HUB_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPortNumbers()[0] + "/" + db,
                "HUB_DB_USER", pg.getUser(), "HUB_DB_PASSWORD", "unused-with-trust",
                "HUB_BOOTSTRAP_ADMIN_PASSWORD", password, "HUB_DEMO", "false");
        try (ClusterNode node = ClusterNode.start(work, "node", Path.of(System.getProperty("hub.war")),
                AppBenchmarks.PORT, AppBenchmarks.HZ, "127.0.0.1:" + AppBenchmarks.HZ, "hub-bench-scale", env)) {
            node.awaitReady(Duration.ofMinutes(5));
            URI base = node.uri();
            WebClient admin = new WebClient(base);
            if (!admin.signIn("admin", password).contains("Your organizations")) {
                throw new IllegalStateException("the admin could not sign in");
            }
            AppBenchmarks.check(admin.submit(admin.get("/organizations/new"), "org", "submit", Map.of("name", "big",
                    "displayName", "Big")), 302);
            String deepAudit = seed(TestPostgres.database(pg, db), report);

            StringBuilder cookie = new StringBuilder("HUBSESSION=" + admin.cookie("HUBSESSION"));
            if (admin.cookie("JSESSIONIDVERSION") != null) {
                cookie.append("; JSESSIONIDVERSION=").append(admin.cookie("JSESSIONIDVERSION"));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Map<String, String> pages = new LinkedHashMap<>();
            String members = "/organizations/big/settings/members";
            String audit = "/organizations/big/settings/audit";
            pages.put("members, first page", members);
            pages.put("members, page after seed-user-9000", members + "?after=seed-user-9000");
            pages.put("members, search", members + "?q=user-1999");
            pages.put("organization page, first", "/big");
            pages.put("organization page, after model-04000", "/big?after=model-04000");
            pages.put("organization page, search", "/big?q=model-049");
            pages.put("home page, first", "/");
            pages.put("home page, after seed-org-9000", "/?after=seed-org-9000");
            pages.put("home page, search", "/?q=org-999");
            pages.put("audit log, newest", audit);
            pages.put("audit log, oldest (deepest) page", audit + "?before=" + deepAudit);
            pages.put("audit log, filtered by member", audit + "?member=seed-user-7");
            pages.put("audit log, filtered by member and event", audit + "?member=seed-user-7&event=sso.login");
            int rounds = Integer.getInteger("bench.rounds", 3);
            int seconds = Integer.getInteger("bench.seconds", 15);
            report.add(String.format("%d×50 requests one at a time after 20 warm-up requests; then %d clients for %d s",
                    rounds, CONCURRENT, seconds));
            report.add("| page | p50 ms | p99 ms | size KB | 16 clients: req/s | p50 ms | p99 ms | max heap MB |");
            report.add("|---|---|---|---|---|---|---|---|");
            for (Map.Entry<String, String> page : pages.entrySet()) {
                URI uri = base.resolve(page.getValue());
                HttpRequest get = HttpRequest.newBuilder(uri).header("Cookie", cookie.toString())
                        .timeout(Duration.ofSeconds(60)).GET().build();
                long size = 0;
                for (int i = 0; i < 20; i++) {
                    size = fetch(http, get);
                }
                long[] one = new long[rounds * 50];
                for (int i = 0; i < one.length; i++) {
                    long t0 = System.nanoTime();
                    fetch(http, get);
                    one[i] = System.nanoTime() - t0;
                }
                Arrays.sort(one);
                Heap heap = Heap.watch(http, base);
                long[] many;
                try {
                    many = AppBenchmarks.load(http, cookie.toString(), uri, CONCURRENT, seconds);
                } finally {
                    heap.stop();
                }
                report.add(String.format("| %s | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f |", page.getKey(),
                        AppBenchmarks.pct(one, 50), AppBenchmarks.pct(one, 99), size / 1024.0,
                        many.length / (double) seconds, AppBenchmarks.pct(many, 50), AppBenchmarks.pct(many, 99),
                        heap.maxHeap() / 1e6));
            }
            exports(http, base, cookie.toString(), audit, report);
            report.add("readiness at the end: " + new WebClient(node.healthUri()).get("/health/ready").status());
        } finally {
            AppBenchmarks.exec(pg, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** The whole history as CSV, then {@link #CONCURRENT} exports at once. */
    static void exports(HttpClient http, URI base, String cookie, String audit, List<String> report)
            throws Exception {
        HttpRequest csv = HttpRequest.newBuilder(base.resolve(audit + ".csv")).header("Cookie", cookie)
                .timeout(Duration.ofMinutes(30)).GET().build();
        Heap heap = Heap.watch(http, base);
        long t0 = System.nanoTime();
        HttpResponse<java.io.InputStream> res = http.send(csv, HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (java.io.InputStream in = res.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double took = (System.nanoTime() - t0) / 1e9;
        heap.stop();
        report.add(String.format("export of the whole audit log as CSV: status %d, %d lines, %.0f MB in %.1f s"
                + " (%.0f rows/s); heap in use %.0f-%.0f MB, old generation %.0f-%.0f MB while it streamed",
                res.statusCode(), lines, bytes / 1e6, took, lines / took, heap.minHeap() / 1e6, heap.maxHeap() / 1e6,
                heap.minOld() / 1e6, heap.maxOld() / 1e6));

        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<String>> answers = new ArrayList<>();
        Heap many = Heap.watch(http, base);
        long started = System.nanoTime();
        for (int i = 0; i < CONCURRENT; i++) {
            answers.add(pool.submit(() -> {
                HttpResponse<java.io.InputStream> r = http.send(csv, HttpResponse.BodyHandlers.ofInputStream());
                try (java.io.InputStream in = r.body()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                return r.statusCode() + (r.statusCode() == 429 ? " Retry-After " + r.headers()
                        .firstValue("Retry-After").orElse("-") : "");
            }));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Future<String> f : answers) {
            counts.merge(f.get(), 1, Integer::sum);
        }
        pool.shutdown();
        many.stop();
        report.add(String.format("%d exports started at once: %s; all done in %.1f s; max heap %.0f MB, old generation"
                + " max %.0f MB", CONCURRENT, counts, (System.nanoTime() - started) / 1e9, many.maxHeap() / 1e6,
                many.maxOld() / 1e6));
    }

    private static long fetch(HttpClient http, HttpRequest get) throws Exception {
        HttpResponse<byte[]> res = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(get.uri() + ": " + res.statusCode());
        }
        return res.body().length;
    }

    /**
     * The benchmark's data, in SQL (minutes instead of hours through the pages): accounts seed-user-1..20000, all
     * members of "big" (with the admin); repositories model-00001..05000 of "big", every third private; 2,000,000
     * audit records of "big" one second apart, each naming one of the members as actor and another as member;
     * 10,000 other organizations. Returns the cursor of the oldest page of the audit log.
     */
    static String seed(PGSimpleDataSource db, List<String> report) throws Exception {
        long started = System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            long big;
            try (ResultSet rs = s.executeQuery("SELECT id FROM organization WHERE name_key = 'big'")) {
                rs.next();
                big = rs.getLong(1);
            }
            s.execute("INSERT INTO organization (id, name, name_key, org_uid, display_name, default_role, created_at,"
                    + " row_version) SELECT 10000000 + g, 'seed-org-' || g, 'seed-org-' || g, 'seeduid' || g,"
                    + " 'Seed ' || g, 'READ', now(), 0 FROM generate_series(1, " + OTHER_ORGS + ") g");
            s.execute("INSERT INTO account (id, username, username_key, display_name, password_hash, site_admin,"
                    + " created_at, row_version) SELECT 30000000 + g, 'seed-user-' || g, 'seed-user-' || g,"
                    + " 'Seed user ' || g, 'not-a-hash', false, now(), 0 FROM generate_series(1, " + MEMBERS + ") g");
            s.execute("INSERT INTO membership (id, org_id, account_id, member_role, created_at, row_version)"
                    + " SELECT 40000000 + g, " + big + ", 30000000 + g, 'READ', now(), 0 FROM generate_series(1, "
                    + MEMBERS + ") g");
            s.execute("INSERT INTO repository (id, org_id, kind, name, name_key, visibility, readme, created_at,"
                    + " row_version) SELECT 20000000 + g, " + big + ", 'MODEL', 'model-' || lpad(g::text, 5, '0'),"
                    + " 'model-' || lpad(g::text, 5, '0'), CASE WHEN g % 3 = 0 THEN 'PRIVATE' ELSE 'PUBLIC' END,"
                    + " 'seed', now(), 0 FROM generate_series(1, " + REPOS + ") g");
            s.execute("INSERT INTO sso_audit (id, org_id, created_at, actor_id, member_id, event, outcome, reason,"
                    + " detail) SELECT 50000000 + g, " + big + ", now() - (" + AUDIT + " - g) * interval '1 second',"
                    + " 30000001 + (g % " + MEMBERS + "), 30000001 + ((g * 7) % " + MEMBERS + "),"
                    + " CASE WHEN g % 2 = 0 THEN 'sso.login' ELSE 'member.role' END, 'success', NULL,"
                    + " '{\"n\":' || g || '}' FROM generate_series(1, " + AUDIT + ") g");
            s.execute("ANALYZE");
            String deep;
            try (ResultSet rs = s.executeQuery("SELECT created_at, id FROM sso_audit WHERE org_id = " + big
                    + " ORDER BY created_at, id OFFSET 30 LIMIT 1")) {
                rs.next();
                deep = rs.getObject(1, java.time.OffsetDateTime.class).toInstant() + "_" + rs.getLong(2);
            }
            report.add(String.format("seeded in %.0f s: \"big\" with %d members, %d repositories, %d audit records;"
                    + " %d other organizations", (System.nanoTime() - started) / 1e9, MEMBERS + 1, REPOS, AUDIT,
                    OTHER_ORGS));
            return deep;
        }
    }

    /** The node's heap in use (and its old generation), read from /metrics every 250 ms until stopped. */
    static final class Heap {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong maxHeap = new AtomicLong();
        private final AtomicLong minHeap = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong maxOld = new AtomicLong();
        private final AtomicLong minOld = new AtomicLong(Long.MAX_VALUE);
        private final AtomicInteger samples = new AtomicInteger();
        private Thread thread;

        static Heap watch(HttpClient http, URI base) {
            Heap heap = new Heap();
            HttpRequest metrics = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10))
                    .GET().build();
            heap.thread = new Thread(() -> {
                while (heap.running.get()) {
                    try {
                        String text = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                        long used = 0;
                        long old = 0;
                        for (String line : text.split("\n")) {
                            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                                long v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                                used += v;
                                if (line.contains("Old Gen") || line.contains("Tenured")) {
                                    old += v;
                                }
                            }
                        }
                        heap.maxHeap.accumulateAndGet(used, Math::max);
                        heap.minHeap.accumulateAndGet(used, Math::min);
                        heap.maxOld.accumulateAndGet(old, Math::max);
                        heap.minOld.accumulateAndGet(old, Math::min);
                        heap.samples.incrementAndGet();
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a sample lost under load: the next one counts
                    }
                }
            }, "heap-watch");
            heap.thread.setDaemon(true);
            heap.thread.start();
            return heap;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5000);
        }

        long maxHeap() {
            return maxHeap.get();
        }

        long minHeap() {
            return minHeap.get() == Long.MAX_VALUE ? 0 : minHeap.get();
        }

        long maxOld() {
            return maxOld.get();
        }

        long minOld() {
            return minOld.get() == Long.MAX_VALUE ? 0 : minOld.get();
        }
    }
}
