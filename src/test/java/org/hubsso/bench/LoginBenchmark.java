package org.hubsso.bench;

import static org.hubsso.bench.AppBenchmarks.check;
import static org.hubsso.bench.AppBenchmarks.concat;
import static org.hubsso.bench.AppBenchmarks.continueToIdp;
import static org.hubsso.bench.AppBenchmarks.loadAverage;
import static org.hubsso.bench.AppBenchmarks.pct;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hubsso.it.ClusterNode;
import org.hubsso.it.KeycloakServer;
import org.hubsso.it.SamlFlow;
import org.hubsso.it.TestSupportServlet;
import org.hubsso.it.WebClient;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Full SAML login round trips per second and the CPU each one costs, the SP (the hub) against a real IdP (Keycloak):
 * {@code ./mvnw -Pbench-app -Dbench.app=logins}. It measures, it asserts nothing.
 *
 * <p>One hub node (127.0.0.1:19160, Hazelcast 19170, embedded H2, so the database work is in the hub's process as
 * Keycloak's dev-mem H2 is in Keycloak's) with two organizations enforcing SAML SSO: {@code bench-idp} with the
 * in-test IdP ({@link TestIdp}, signing in this JVM) and {@code bench-kc} with Keycloak (127.0.0.1:19180, set up
 * from its IdP metadata through the settings page, as an admin would). {@code bench.members} members (at least one
 * per thread; each signed in to the hub once with a password at setup, and to Keycloak once), the same in both
 * organizations. A thread keeps its own members, their hub cookies and their Keycloak cookies.
 *
 * <p>One login: GET /organizations/{org}/sso (303 to the IdP with the AuthnRequest), the IdP's answer (the in-test
 * IdP signs one; Keycloak answers from its SSO session, without a password, with its auto-post form; in the last
 * phase each login starts without a Keycloak session, so Keycloak shows its login form and checks the password),
 * the POST of SAMLResponse and RelayState to the ACS without the hub's cookies (a cross-site form), GET of the
 * completion, and the organization page it returns to (200). {@code bench.threads} threads do that for {@code bench.seconds} after
 * {@code bench.warmup} seconds of the same; CPU time (utime + stime from /proc/<pid>/stat) of the hub, Keycloak and
 * this JVM is read before and after each phase, and so is the share of the hub's and Keycloak's JIT compiler threads
 * (/proc/<pid>/task/<tid>/stat), reported apart: compiling is the cost of warming up, not of a login.
 */
public final class LoginBenchmark {

    static final int PORT = Integer.getInteger("bench.logins.port", 19160);
    static final int HZ = Integer.getInteger("bench.logins.cluster.port", 19170);
    static final int KC_PORT = Integer.getInteger("bench.logins.keycloak.port", 19180);
    static final String ADMIN_PASSWORD = "bench-admin-password-1";
    static final String PASSWORD = "bench-member-password-1";
    static final String ORG_IDP = "bench-idp";
    static final String ORG_KC = "bench-kc";
    /** Bounds of one phase besides its time: logins per thread, failed logins in all. */
    static final int MAX_LOGINS_PER_THREAD = 1_000_000;
    static final int MAX_FAILURES = 20;

    /** Cookie-less: the IdP's cross-site form post, and Keycloak (whose cookies {@link KcJar} keeps). */
    static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private LoginBenchmark() {
    }

    /** One member: the hub browser (signed in), the Keycloak cookies of the same browser, the account's email. */
    record Member(String username, String email, WebClient hub, KcJar keycloak) {
    }

    static void run(Path work, List<String> report) throws Exception {
        int threads = Integer.getInteger("bench.threads", 2);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int warmup = Integer.getInteger("bench.warmup", 90);
        int memberCount = Math.max(threads, Integer.getInteger("bench.members", threads));
        long hz = clockTicks();
        report.add("machine: " + machine() + "; CLK_TCK " + hz);
        if (System.getProperty("hub.test.keycloak.home") == null) {
            System.setProperty("hub.test.keycloak.home", new File("target/keycloak/keycloak-26.7.3")
                    .getAbsolutePath());
        }

        // The product WAR plus the test-only servlet that marks the members' emails verified.
        Path war = work.resolve("hub.war");
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")))
                .addClass(TestSupportServlet.class).as(ZipExporter.class).exportTo(war.toFile(), true);

        for (int port : new int[] {PORT, HZ, HZ + 1, KC_PORT}) {
            requireFree(port);
        }
        AtomicReference<KeycloakServer> kcRef = new AtomicReference<>();
        AtomicReference<ClusterNode> nodeRef = new AtomicReference<>();
        Thread stopAll = new Thread(() -> stop(nodeRef, kcRef), "stop-bench-servers");
        Runtime.getRuntime().addShutdownHook(stopAll); // also on Ctrl-C or a killed Maven
        try {
            // Theme and template caching on (start-dev turns them off), as on a production Keycloak.
            kcRef.set(KeycloakServer.start(KC_PORT, List.of("--spi-theme--cache-themes=true",
                    "--spi-theme--cache-templates=true")));
            Map<String, String> env = ClusterNode.env("HUB_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD,
                    "HUB_DEMO", "false", "HUB_BASE_URL", "http://127.0.0.1:" + PORT);
            nodeRef.set(ClusterNode.start(work, "node", war, PORT, HZ, "127.0.0.1:" + HZ, "hub-bench-logins", env));
            ClusterNode node = nodeRef.get();
            node.awaitReady(Duration.ofMinutes(5));
            report.add(String.format("hub ready (/health/ready) in %.1f s, pid %d", node.startSeconds(), node.pid()));
            KeycloakServer keycloak = kcRef.get().awaitReady();
            long kcPid = keycloak.javaProcess().pid();
            report.add(String.format("Keycloak %s start-dev (dev-mem H2, local caches, theme caching on) ready in"
                    + " %.1f s, Java pid %d", Files.readString(Path.of(System.getProperty("hub.test.keycloak.home"),
                    "version.txt")).trim(), keycloak.startTime().toMillis() / 1e3, kcPid));

            URI base = node.uri();
            WebClient admin = new WebClient(base);
            check(admin.signIn("admin", ADMIN_PASSWORD), 200);
            for (String org : List.of(ORG_IDP, ORG_KC)) {
                check(admin.submit(admin.get("/organizations/new"), "org", "submit", Map.of("name", org,
                        "displayName", org)), 302);
            }
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < memberCount; i++) {
                String username = "bench-m" + i;
                String email = username + "@example.test";
                members.add(new Member(username, email, join(base, username, email), new KcJar()));
                for (String org : List.of(ORG_IDP, ORG_KC)) {
                    check(admin.submit(admin.get("/organizations/" + org + "/settings/members"), "add", "submit",
                            Map.of("username", username, "role", "read")), 302);
                }
                keycloak.addUser(username, email, "Bench", "Member " + i);
            }

            // bench-idp: the in-test IdP (its Sign-On URL is never contacted: this JVM plays the IdP).
            TestIdp idp = new TestIdp("http://idp.localhost/realms/bench-logins");
            Page tested = AppBenchmarks.throughIdp(admin, idp, base, continueToIdp(admin, admin.submit(
                    admin.get("/organizations/" + ORG_IDP + "/settings/sso"), "saml", "test",
                    SamlFlow.samlSettings(idp, "http://127.0.0.1:9/idp/sso"))));
            require(tested, "id=\"test-outcome\">passed");
            require(AppBenchmarks.throughIdp(admin, idp, base, continueToIdp(admin, admin.submit(tested, "state",
                    "enable", Map.of()))), "id=\"sso-state\">enabled");

            // bench-kc: Keycloak, from its IdP metadata, tested and enabled through Keycloak by the admin.
            configureKeycloak(admin, keycloak, base);

            // Every member once through each IdP (Keycloak with the password: its SSO session from then on).
            for (Member m : members) {
                checkLanded(idpLogin(m, idp, base), ORG_IDP);
                checkLanded(throughKeycloak(m.hub(), m.keycloak(), base, m.hub().get("/organizations/" + ORG_KC
                        + "/sso"), m.username()), ORG_KC);
            }
            report.add(String.format("%d members (signed in to the hub once with a password at setup), %d threads,"
                    + " %d s warm-up then %d s per phase", memberCount, threads, warmup, seconds));

            long[] pids = {node.pid(), kcPid, ProcessHandle.current().pid()};
            Login viaTestIdp = m -> idpLogin(m, idp, base);
            Login viaKeycloak = m -> throughKeycloak(m.hub(), m.keycloak(), base,
                    m.hub().get("/organizations/" + ORG_KC + "/sso"), null);
            // A browser without a Keycloak session: Keycloak's login form and the member's password every time.
            Login viaKeycloakPassword = m -> throughKeycloak(m.hub(), new KcJar(), base,
                    m.hub().get("/organizations/" + ORG_KC + "/sso"), m.username());

            phase("in-test IdP warm-up", ORG_IDP, members, threads, warmup, viaTestIdp, pids);
            report.add("load before the in-test IdP phase " + loadAverage());
            Phase p1 = phase("in-test IdP", ORG_IDP, members, threads, seconds, viaTestIdp, pids);
            phase("Keycloak warm-up", ORG_KC, members, threads, warmup, viaKeycloak, pids);
            report.add("load before the Keycloak phase " + loadAverage());
            Phase p2 = phase("Keycloak", ORG_KC, members, threads, seconds, viaKeycloak, pids);
            phase("Keycloak with password warm-up", ORG_KC, members, threads, warmup, viaKeycloakPassword, pids);
            report.add("load before the Keycloak with password phase " + loadAverage());
            Phase p3 = phase("Keycloak with password", ORG_KC, members, threads, seconds, viaKeycloakPassword, pids);

            report.add(p1.describe(hz, "hub (SP)", "Keycloak (idle)", "benchmark JVM (clients + in-test IdP signing)"));
            report.add(p2.describe(hz, "hub (SP)", "Keycloak (IdP)", "benchmark JVM (clients)"));
            report.add(p3.describe(hz, "hub (SP)", "Keycloak (IdP)", "benchmark JVM (clients)"));
            for (Phase p : List.of(p2, p3)) {
                double spPerLogin = p.cpuMsPerLogin(0, hz);
                double kcPerLogin = p.cpuMsPerLogin(1, hz);
                report.add(String.format("SP CPU per login / Keycloak CPU per login (%s phase): %.2f ms / %.2f ms"
                        + " = %.1f %% (target <= 5 %%); without the JIT compiler threads %.2f ms / %.2f ms = %.1f %%",
                        p.name(), spPerLogin, kcPerLogin, 100 * spPerLogin / kcPerLogin,
                        p.cpuMsPerLoginWithoutJit(0, hz), p.cpuMsPerLoginWithoutJit(1, hz),
                        100 * p.cpuMsPerLoginWithoutJit(0, hz) / p.cpuMsPerLoginWithoutJit(1, hz)));
            }
            report.add(String.format("SP CPU per login, in-test IdP phase: %.2f ms; rates: in-test IdP %.1f logins/s,"
                    + " Keycloak %.1f logins/s, Keycloak with password %.1f logins/s", p1.cpuMsPerLogin(0, hz),
                    p1.rate(), p2.rate(), p3.rate()));
            report.add(String.format("hub after the run: RSS %d MB", node.rssMb()));
        } finally {
            stop(nodeRef, kcRef);
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
    }

    private static void stop(AtomicReference<ClusterNode> node, AtomicReference<KeycloakServer> keycloak) {
        ClusterNode n = node.getAndSet(null);
        if (n != null) {
            try {
                n.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        KeycloakServer k = keycloak.getAndSet(null);
        if (k != null) {
            k.stop();
        }
    }

    // ---- the logins ----------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Login {
        Page login(Member member) throws Exception;
    }

    /** The in-test IdP answers the AuthnRequest of the hub's redirect (signed here, in this JVM). */
    static Page idpLogin(Member m, TestIdp idp, URI base) {
        SamlFlow.Sent sent = SamlFlow.sent(m.hub().get("/organizations/" + ORG_IDP + "/sso"));
        String answer = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), m.email()).encoded();
        URI acs = sent.acsAt(base);
        Page posted = check(postCrossSite(acs, answer, sent.relayState()), 303);
        return m.hub().follow(m.hub().get(acs.resolve(posted.location()).toString()));
    }

    /**
     * From the hub's redirect to Keycloak through Keycloak (its login form first when {@code username} is given,
     * else its SSO session answers at once), the auto-post form to the ACS and the hub's completion, to the page the
     * hub ends on.
     */
    static Page throughKeycloak(WebClient browser, KcJar jar, URI base, Page redirect, String username) {
        check(redirect, 303);
        URI at = URI.create(redirect.location());
        if (!"localhost".equals(at.getHost()) || at.getPort() != KC_PORT) {
            throw new IllegalStateException("the hub sent the browser to " + at + ", not to Keycloak");
        }
        HttpResponse<String> kc = jar.follow(jar.send(HttpRequest.newBuilder(at).GET()));
        if (username != null) {
            String form = tag(kc.body(), "<form[^>]*id=\"kc-form-login\"[^>]*>");
            URI action = URI.create(unescape(attribute(form, "action")));
            kc = jar.follow(jar.send(HttpRequest.newBuilder(action)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password",
                            KeycloakServer.USER_PASSWORD, "credentialId", ""))))));
        }
        if (kc.statusCode() != 200 || !kc.body().contains("name=\"SAMLResponse\"")) {
            throw new IllegalStateException("Keycloak answered " + kc.statusCode() + " without a SAMLResponse form"
                    + " at " + kc.uri() + ": " + abbreviate(kc.body()));
        }
        String form = tag(kc.body(), "<form[^>]*>");
        URI acs = URI.create(unescape(attribute(form, "action")));
        if (!"127.0.0.1".equals(acs.getHost()) || acs.getPort() != base.getPort()) {
            throw new IllegalStateException("Keycloak's form posts to " + acs + ", not to the hub's ACS");
        }
        String samlResponse = unescape(attribute(tag(kc.body(), "<input[^>]*name=\"SAMLResponse\"[^>]*>"), "value"));
        String relayState = kc.body().contains("name=\"RelayState\"")
                ? unescape(attribute(tag(kc.body(), "<input[^>]*name=\"RelayState\"[^>]*>"), "value")) : null;
        Page posted = check(postCrossSite(acs, samlResponse, relayState), 303);
        return browser.follow(browser.get(acs.resolve(posted.location()).toString()));
    }

    /** The IdP's auto-submitted form: a cross-site POST, so without the hub's cookies. */
    static Page postCrossSite(URI acs, String samlResponse, String relayState) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SAMLResponse", samlResponse);
        fields.put("RelayState", relayState == null ? "" : relayState);
        HttpRequest request = HttpRequest.newBuilder(acs).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build();
        return new Page(acs, send(request));
    }

    static void checkLanded(Page page, String org) {
        check(page, 200);
        if (!page.uri().getRawPath().equals("/" + org)) {
            throw new IllegalStateException("the login ended at " + page.path() + ", not at /" + org);
        }
    }

    /**
     * The browser's Keycloak cookies, kept by hand: Keycloak marks them Secure on http://localhost (a secure
     * context for browsers), and java.net.CookieManager never sends a Secure cookie over http.
     */
    static final class KcJar {
        final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> res = LoginBenchmark.send(request.timeout(Duration.ofSeconds(30)).build());
            for (String set : res.headers().allValues("Set-Cookie")) {
                String[] parts = set.split(";");
                int eq = parts[0].indexOf('=');
                String name = parts[0].substring(0, eq).trim();
                String value = parts[0].substring(eq + 1).trim();
                String lower = set.toLowerCase();
                if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return res;
        }

        /** Follows Keycloak's redirects to itself (at most 5). */
        HttpResponse<String> follow(HttpResponse<String> res) {
            HttpResponse<String> current = res;
            for (int i = 0; i < 5 && current.statusCode() / 100 == 3; i++) {
                URI next = current.uri().resolve(current.headers().firstValue("Location").orElseThrow());
                if (next.getPort() != KC_PORT) {
                    break;
                }
                current = send(HttpRequest.newBuilder(next).GET());
            }
            return current;
        }
    }

    // ---- one phase -----------------------------------------------------------------------------------------

    /** What one phase measured: logins, wall time, each login's latency, CPU ticks of each process and in all. */
    record Phase(String name, long logins, double seconds, long[] latencies, long[] cpuTicks, long[] jitTicks,
            double busyCores, int cores) {

        double rate() {
            return logins / seconds;
        }

        double cpuMsPerLogin(int process, long hz) {
            return cpuTicks[process] * 1000.0 / hz / logins;
        }

        /** CPU per login without the JIT compiler threads' share (code still being compiled is warm-up, not work). */
        double cpuMsPerLoginWithoutJit(int process, long hz) {
            return (cpuTicks[process] - jitTicks[process]) * 1000.0 / hz / logins;
        }

        String describe(long hz, String... processes) {
            StringBuilder s = new StringBuilder(String.format("%s phase: %d logins in %.1f s = %.1f logins/s,"
                    + " latency p50 %.1f ms, p99 %.1f ms; machine busy %.2f of %d cores", name, logins, seconds, rate(),
                    pct(latencies, 50), pct(latencies, 99), busyCores, cores));
            for (int i = 0; i < processes.length; i++) {
                s.append(String.format("; %s CPU %.2f s = %.2f ms per login (%.2f cores; JIT compiler threads %.2f"
                        + " ms per login)", processes[i], cpuTicks[i] / (double) hz, cpuMsPerLogin(i, hz),
                        cpuTicks[i] / (double) hz / seconds, jitTicks[i] * 1000.0 / hz / logins));
            }
            return s.toString();
        }
    }

    static Phase phase(String name, String org, List<Member> members, int threads, int seconds, Login login,
            long[] pids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean abort = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
        long[] cpuBefore = new long[pids.length];
        List<Map<Long, Long>> jitBefore = new ArrayList<>();
        for (int i = 0; i < pids.length; i++) {
            cpuBefore[i] = cpuTicks(pids[i]);
            jitBefore.add(jitThreadTicks(pids[i]));
        }
        long[] machineBefore = machineTicks();
        long started = System.nanoTime();
        long end = started + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Member> mine = new ArrayList<>();
            for (int i = t; i < members.size(); i += threads) {
                mine.add(members.get(i));
            }
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 12];
                int n = 0;
                for (int k = 0; k < MAX_LOGINS_PER_THREAD && System.nanoTime() < end && !abort.get(); k++) {
                    Member m = mine.get(k % mine.size());
                    long t0 = System.nanoTime();
                    try {
                        checkLanded(login.login(m), org);
                    } catch (Exception | AssertionError e) {
                        if (firstFailures.size() < 3) {
                            firstFailures.add(m.username() + ": " + e);
                        }
                        if (failures.incrementAndGet() >= MAX_FAILURES) {
                            abort.set(true);
                        }
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t1 - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        try {
            for (Future<long[]> f : futures) {
                all.add(f.get(seconds + 120L, TimeUnit.SECONDS));
            }
        } finally {
            abort.set(true);
            pool.shutdownNow();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] machineAfter = machineTicks();
        long[] cpu = new long[pids.length];
        long[] jit = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            cpu[i] = cpuTicks(pids[i]) - cpuBefore[i];
            jit[i] = jitTicksSince(pids[i], jitBefore.get(i));
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(name + ": " + failures.get() + " failed logins, first: " + firstFailures);
        }
        long[] latencies = concat(all);
        long busy = machineAfter[0] - machineBefore[0];
        long total = machineAfter[1] - machineBefore[1];
        int cores = Runtime.getRuntime().availableProcessors();
        Phase p = new Phase(name, latencies.length, elapsed, latencies, cpu, jit, total == 0 ? 0 : cores * busy
                / (double) total, cores);
        System.out.println(p.describe(clockTicks(), "hub", "Keycloak", "benchmark JVM"));
        return p;
    }

    // ---- setup helpers -------------------------------------------------------------------------------------

    /** Signs up (the one password hash of this member), has the email marked verified; the browser stays signed in. */
    static WebClient join(URI base, String username, String email) {
        WebClient web = new WebClient(base);
        check(web.submit(web.get("/join"), "join", "submit", Map.of("username", username, "displayName", username,
                "email", email, "password", PASSWORD)), 302);
        check(web.post("/it-support/verify-emails", Map.of("username", username)), 204);
        return web;
    }

    /**
     * Registers bench-kc's SP at Keycloak, fills its SAML settings from Keycloak's IdP metadata ("Fill from
     * metadata"), presses "Update and Test" (the admin signs in at Keycloak as hub-admin, whose email is the hub
     * admin's) and "Enable" (Keycloak's SSO session answers).
     */
    static void configureKeycloak(WebClient admin, KeycloakServer keycloak, URI base) {
        Page settings = admin.get("/organizations/" + ORG_KC + "/settings/sso");
        String spEntityId = SamlFlow.between(settings.body(), "id=\"sp-entity-id\">", "<");
        String acsUrl = SamlFlow.between(settings.body(), "id=\"acs-url\">", "<");
        keycloak.registerSamlClient(spEntityId, acsUrl);
        Page filled = check(admin.submit(settings, "meta", "fill", Map.of("metadata", keycloak.idpMetadata())), 200);
        String signOnUrl = unescape(attribute(tag(filled.body(), "<input[^>]*id=\"saml:signOnUrl\"[^>]*>"), "value"));
        String issuer = unescape(attribute(tag(filled.body(), "<input[^>]*id=\"saml:idpIssuer\"[^>]*>"), "value"));
        Matcher cert = Pattern.compile("<textarea[^>]*id=\"saml:certificate\"[^>]*>([^<]*)</textarea>")
                .matcher(filled.body());
        if (!cert.find() || !signOnUrl.startsWith("http://localhost:" + KC_PORT + "/")) {
            throw new IllegalStateException("the metadata filled nothing: " + abbreviate(filled.body()));
        }
        KcJar adminAtKeycloak = new KcJar(); // the admin's browser: the test signs in, "Enable" passes on the session
        Page tested = throughKeycloak(admin, adminAtKeycloak, base, continueToIdp(admin, admin.submit(filled, "saml",
                "test", Map.of("signOnUrl", signOnUrl, "idpIssuer", issuer, "certificate", unescape(cert.group(1))
                        .strip(), "emailAttribute", "", "clockSkew", "120"))), "hub-admin");
        require(tested, "id=\"test-outcome\">passed");
        Page enabled = admin.submit(tested, "state", "enable", Map.of());
        Page back = throughKeycloak(admin, adminAtKeycloak, base, continueToIdp(admin, enabled), null);
        require(back, "id=\"sso-state\">enabled");
    }

    static Page require(Page page, String text) {
        check(page, 200);
        if (!page.contains(text)) {
            throw new IllegalStateException(page.path() + " lacks " + text + ": " + abbreviate(page.body()));
        }
        return page;
    }

    // ---- HTML, HTTP and /proc ------------------------------------------------------------------------------

    static String tag(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in " + abbreviate(html));
        }
        return m.group();
    }

    static String attribute(String tag, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + tag);
        }
        return m.group(1);
    }

    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");

    /** Undoes HTML escaping of an attribute value or text. */
    static String unescape(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String c = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> new String(Character.toChars(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1))));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(c));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return PLAIN.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A port another server holds would make the node bind elsewhere or answer for someone else: stop first. */
    static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken", e);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return statTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    }

    /** utime + stime from a /proc stat line, of a process or of one of its threads. */
    static long statTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * utime + stime of each JIT compiler thread of a JVM (HotSpot names them "C1 CompilerThreadN" and "C2
     * CompilerThreadN"; Linux keeps 15 characters), by thread id. A compiler thread that ends during a phase takes its
     * ticks with it, so the JIT share of a phase is a lower bound.
     */
    static Map<Long, Long> jitThreadTicks(long pid) throws IOException {
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    ticks.put(Long.parseLong(task.getFileName().toString()), statTicks(stat));
                }
            }
        }
        return ticks;
    }

    /** The JIT compiler threads' ticks since {@code before} (from {@link #jitThreadTicks}); a lower bound. */
    static long jitTicksSince(long pid, Map<Long, Long> before) throws IOException {
        long ticks = 0;
        for (Map.Entry<Long, Long> thread : jitThreadTicks(pid).entrySet()) {
            ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return ticks;
    }

    /** {busy, total} ticks of all CPUs from /proc/stat (idle and iowait are not busy). */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // user .. steal; guest is inside user already
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    static long clockTicks() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!getconf.waitFor(10, TimeUnit.SECONDS) || getconf.exitValue() != 0) {
            throw new IllegalStateException("getconf CLK_TCK: " + out);
        }
        return Long.parseLong(out);
    }

    static String machine() {
        try {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse("?");
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB")
                    .orElse("?");
            return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + mem + " RAM";
        } catch (IOException e) {
            return "?";
        }
    }
}
