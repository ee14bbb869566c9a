package org.hubsso.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hubsso.TestPostgres;
import org.hubsso.it.ClusterNode;
import org.hubsso.it.SamlFlow;
import org.hubsso.it.TestSupportServlet;
import org.hubsso.it.WebClient;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code ./mvnw -Pbench-app -Dbench.app=soak}: mixed traffic on a two-node cluster for {@code bench.soak.minutes}
 * (default 10), with the used heap after a full GC of both nodes recorded every minute. It measures and lists; it
 * asserts nothing but a working setup.
 * <p>
 * The nodes are started as {@code ClusterIT} starts them (loopback, Hazelcast TCP/IP discovery of the two 127.0.0.1
 * members under a cluster name of their own, one fresh PostgreSQL database, one secret key, a {@code HUB_BASE_URL}
 * where nothing listens), with the test-only {@link TestSupportServlet} added to the WAR. The benchmark plays the
 * browsers, the IdP ({@link TestIdp}) and a load balancer without stickiness: each client thread sends its requests
 * to node A and node B alternately, except that a Faces form is posted to the node that rendered it. A SAML sign-in
 * starts on one node and is answered at the other node's ACS.
 * <p>
 * Every answer is counted by kind and status; an answer other than the expected one, a 5xx or a connection error is
 * counted and the first few are kept (URL, status, start of the body). Written to
 * {@code target/measurements/bench-soak.txt}.
 */
final class SoakBenchmark {

    static final int PORT_A = 19260;
    static final int PORT_B = 19261;
    static final int HZ_A = 19270;
    static final int HZ_B = 19271;
    static final int FRONT = 19264;
    static final Duration WARM_UP = Duration.ofSeconds(60);
    static final String ADMIN_PASSWORD = "soak-admin-password-1";
    static final String PASSWORD = "correct-horse-battery";
    static final int KEEP = 8;

    private final Path work;
    private final List<String> report;
    private final TestIdp idp = new TestIdp("http://idp.localhost/realms/soak");
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String ssoOrg = "soak-sso-" + suffix;
    private final String openOrg = "soak-open-" + suffix;
    private final String postsOrg = "soak-posts-" + suffix;

    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final LongAdder flowErrors = new LongAdder();
    private final ConcurrentLinkedQueue<String> kept = new ConcurrentLinkedQueue<>();
    private final AtomicInteger keptCount = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final LongAdder handOffs = new LongAdder();
    private final ConcurrentLinkedQueue<String> lateHandOffs = new ConcurrentLinkedQueue<>();

    static final String HAND_OFF = "other node, first request after a session id change";
    static final String HAND_OFF_RETRY = "other node, repeated until it knows the session";

    private ClusterNode a;
    private ClusterNode b;
    private URI nodeA;
    private URI nodeB;

    private SoakBenchmark(Path work, List<String> report) {
        this.work = work;
        this.report = report;
    }

    static void run(Path work, List<String> report) throws Exception {
        new SoakBenchmark(work, report).soak();
    }

    private void soak() throws Exception {
        int minutes = Integer.getInteger("bench.soak.minutes", 10);
        int threads = Integer.getInteger("bench.threads", 4);
        PGSimpleDataSource pg = TestPostgres.server();
        String db = "hub_soak_" + suffix;
        AtomicBoolean cleaned = new AtomicBoolean();
        Runnable cleanUp = () -> {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            for (ClusterNode node : new ClusterNode[] {b, a}) {
                try {
                    if (node != null) {
                        node.close();
                    }
                } catch (Exception e) {
                    System.err.println("stopping " + node.name() + ": " + e);
                }
            }
            try {
                AppBenchmarks.exec(pg, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            } catch (Exception e) {
                System.err.println("dropping " + db + ": " + e);
            }
        };
        // Also on Ctrl-C or a kill of the benchmark's JVM: no node and no database are left behind.
        Thread hook = new Thread(cleanUp, "soak-clean-up");
        Runtime.getRuntime().addShutdownHook(hook);
        report.add("machine: " + memTotal() + " memory; nodes on " + System.getProperty("java.home") + " ("
                + Runtime.version() + "), -Xmx1g each; started " + java.time.Instant.now());
        AppBenchmarks.exec(pg, "CREATE DATABASE " + db);
        try {
            startNodes(pg, db);
            Setup setup = setUp(threads);
            traffic(setup, threads, minutes);
        } catch (Exception | Error e) {
            report.add("FAILED: " + e);
            throw e;
        } finally {
            cleanUp.run();
            Runtime.getRuntime().removeShutdownHook(hook);
            report.add("nodes stopped, database " + db + " dropped, " + java.time.Instant.now());
            // Also written when the run fails; AppBenchmarks writes it again (with the final load) when it does not.
            Files.createDirectories(AppBenchmarks.OUT);
            Files.write(AppBenchmarks.OUT.resolve("bench-soak.txt"), report, StandardCharsets.UTF_8);
        }
    }

    // ---- two nodes ------------------------------------------------------------------------------------------

    private void startNodes(PGSimpleDataSource pg, String db) throws Exception {
        Path war = ClusterNode.warWithTestSupport(work);
        Map<String, String> env = new HashMap<>(ClusterNode.clusterEnv(pg, db, FRONT, ADMIN_PASSWORD));
        env.put("HUB_DEMO", "false");
        int sessionMinutes = Integer.getInteger("bench.soak.session-minutes", 0);
        if (sessionMinutes > 0) {
            env.put("HUB_TEST_SESSION_MINUTES", String.valueOf(sessionMinutes));
            report.add("HTTP sessions time out after " + sessionMinutes + " min (the product's: 120 min)");
        }
        String members = "127.0.0.1:" + HZ_A + ",127.0.0.1:" + HZ_B;
        String cluster = "hub-soak-" + suffix;
        // A first: it migrates the empty database and creates the first admin; then B joins.
        a = ClusterNode.start(work, "node-a", war, PORT_A, HZ_A, members, cluster, env);
        a.awaitReady(Duration.ofMinutes(5));
        b = ClusterNode.start(work, "node-b", war, PORT_B, HZ_B, members, cluster, env);
        b.awaitReady(Duration.ofMinutes(5));
        nodeA = a.uri();
        nodeB = b.uri();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (b.gridMembers().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<String> grid = b.gridMembers().stream().sorted().toList();
        if (!grid.equals(List.of("127.0.0.1:" + HZ_A, "127.0.0.1:" + HZ_B))) {
            throw new IllegalStateException("node B's data grid is " + grid);
        }
        report.add(String.format("node A (pid %d) ready %.1f s after launch, RSS %d MB; node B (pid %d) ready %.1f s"
                + " after launch, RSS %d MB; data grid %s", a.pid(), a.startSeconds(), a.rssMb(), b.pid(),
                b.startSeconds(), b.rssMb(), grid));
    }

    // ---- organizations, repositories, members ---------------------------------------------------------------

    /** The accounts of one client thread, each in a cookie jar of its own. */
    record Clients(WebClient ssoReader, WebClient samlUser, WebClient noSession, WebClient outsider,
            WebClient poster, String signer) {
    }

    record Setup(List<Clients> clients) {
    }

    private Setup setUp(int threads) {
        long started = System.nanoTime();
        WebClient admin = new WebClient(nodeA);
        expect(admin.signIn("admin", ADMIN_PASSWORD), 200);
        for (String org : List.of(ssoOrg, openOrg, postsOrg)) {
            expect(admin.submit(admin.get(on(nodeA, "/organizations/new")), "org", "submit", Map.of("name", org,
                    "displayName", org)), 302);
        }
        String readme = "A model card. ".repeat(40);
        for (String org : List.of(ssoOrg, openOrg)) {
            for (String visibility : List.of("public", "private")) {
                expect(admin.submit(admin.get(on(nodeA, "/new?org=" + org)), "repo", "submit", Map.of("org", org,
                        "kind", "model", "name", visibility, "visibility", visibility, "readme", readme)), 302);
            }
        }
        // SAML for ssoOrg: Update and Test on A answered at B's ACS, Enable on B answered at A's (as ClusterIT).
        Page save = admin.submit(admin.get(on(nodeA, "/organizations/" + ssoOrg + "/settings/sso")), "saml", "test",
                SamlFlow.samlSettings(idp, "http://127.0.0.1:9/idp/sso"));
        Page tested = adminThroughIdp(admin, continueToIdp(admin, save), nodeB, nodeA);
        if (!tested.contains("id=\"test-outcome\">passed")) {
            throw new IllegalStateException("SSO test did not pass: " + tested.body());
        }
        Page enabled = admin.submit(admin.get(on(nodeB, "/organizations/" + ssoOrg + "/settings/sso")), "state",
                "enable", Map.of());
        Page back = adminThroughIdp(admin, continueToIdp(admin, enabled), nodeA, nodeB);
        if (!back.contains("id=\"sso-state\">enabled")) {
            throw new IllegalStateException("SSO not enabled: " + back.body());
        }

        List<Clients> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            URI home = t % 2 == 0 ? nodeA : nodeB;
            WebClient ssoReader = member(home, "reader-" + t);
            WebClient samlUser = member(home, "saml-" + t);
            WebClient noSession = member(home, "nosso-" + t);
            WebClient outsider = member(home, "outsider-" + t);
            WebClient poster = member(home, "poster-" + t);
            String signer = member(home, "signer-" + t).username();
            for (WebClient m : List.of(ssoReader, samlUser, noSession)) {
                addMember(admin, ssoOrg, m.username(), "read");
                addMember(admin, openOrg, m.username(), "read");
            }
            addMember(admin, postsOrg, poster.username(), "write");
            // The reader gets its org SSO session once, here; the SAML user signs in again and again below.
            Clients clients = new Clients(ssoReader, samlUser, noSession, outsider, poster, signer);
            try {
                new Worker(t, clients).samlLogin(ssoReader, t % 2 == 0);
            } catch (Abort failed) {
                throw new IllegalStateException("setup: the SAML sign-in of " + ssoReader.username() + " failed: "
                        + kept);
            }
            all.add(clients);
        }
        // The counters start with the traffic.
        statuses.clear();
        requests.reset();
        handOffs.reset();
        report.add("setup: session id changes handed to the other node: late " + lateHandOffs);
        lateHandOffs.clear();
        if (unexpected.sum() + serverErrors.sum() + connectionErrors.sum() + flowErrors.sum() > 0) {
            throw new IllegalStateException("setup failed: " + kept);
        }
        report.add(String.format("setup in %.1f s: organizations %s (SAML SSO enforced, in-test IdP), %s, %s (Faces"
                + " posts); %d client threads with 6 accounts each", (System.nanoTime() - started) / 1e9, ssoOrg,
                openOrg, postsOrg, threads));
        return new Setup(all);
    }

    private WebClient member(URI node, String prefix) {
        String username = prefix + "-" + suffix;
        WebClient web = new WebClient(node);
        expect(web.submit(web.get(on(node, "/join")), "join", "submit", Map.of("username", username, "displayName",
                username, "email", username + "@example.test", "password", PASSWORD)), 302);
        expect(web.post(on(node, "/it-support/verify-emails"), Map.of("username", username)), 204);
        return web.username(username);
    }

    private void addMember(WebClient admin, String org, String username, String role) {
        Page members = admin.get(on(nodeA, "/organizations/" + org + "/settings/members"));
        expect(admin.submit(expect(members, 200), "add", "submit", Map.of("username", username, "role", role)), 302);
    }

    private static Page continueToIdp(WebClient browser, Page afterPost) {
        expect(afterPost, 302);
        Page page = browser.get(afterPost.uri().resolve(afterPost.location()).toString());
        return browser.get(page.uri().resolve(SamlFlow.refreshTarget(page)).toString());
    }

    private Page adminThroughIdp(WebClient browser, Page redirect, URI acsNode, URI completeNode) {
        SamlFlow.Sent sent = SamlFlow.sent(redirect);
        Page acs = expect(SamlFlow.postToAcs(acsNode, sent, idp.answer(sent.id(), sent.spEntityId(), sent.acs(),
                "admin@hub.localhost").encoded()), 303);
        Page page = browser.get(at(completeNode, acs.location()));
        for (int i = 0; i < 5 && page.status() / 100 == 3; i++) {
            page = browser.get(at(completeNode, page.location()));
        }
        return page;
    }

    private static Page expect(Page page, int status) {
        if (page.status() != status) {
            throw new IllegalStateException(page.path() + ": " + page.status() + " instead of " + status + ": "
                    + start(page.body()));
        }
        return page;
    }

    // ---- traffic ----------------------------------------------------------------------------------------------

    /** A flow step answered otherwise than expected: the rest of the flow is skipped. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    /** One client thread: its own browsers, sending each request to A and B in turn. */
    final class Worker implements Runnable {

        final int id;
        final Clients c;
        final WebClient anonymous = new WebClient(nodeA);
        long sent;
        long rounds;

        Worker(int id, Clients clients) {
            this.id = id;
            this.c = clients;
        }

        URI next() {
            return sent++ % 2 == 0 ? nodeA : nodeB;
        }

        @Override
        public void run() {
            // Bounded: stops at the flag, and in any case after this many rounds.
            for (long round = 0; round < 50_000_000L && !stop.get(); round++) {
                long r = round;
                rounds = round;
                step(this::reads);
                if (r % 5 == 0) {
                    step(() -> samlLogin(c.samlUser(), r % 10 == 0));
                }
                if (r % 5 == 2) {
                    step(() -> facesPost(r));
                }
                if (r % 20 == 7) {
                    step(this::signInAndOut);
                }
            }
        }

        void step(Runnable flow) {
            try {
                flow.run();
            } catch (Abort recorded) {
                // counted where it happened
            } catch (RuntimeException | AssertionError e) {
                flowErrors.increment();
                keep("flow error in thread " + id + ": " + e);
            }
        }

        void reads() {
            get("anonymous public page", anonymous, next(), "/" + ssoOrg, 200);
            get("anonymous public page", anonymous, next(), "/" + ssoOrg + "/public", 200);
            get("anonymous public page", anonymous, next(), "/" + openOrg, 200);
            get("anonymous public page", anonymous, next(), "/" + openOrg + "/public", 200);
            get("outsider 404 (private repo)", anonymous, next(), "/" + openOrg + "/private", 404);
            get("outsider 404 (private repo)", c.outsider(), next(), "/" + openOrg + "/private", 404);
            get("outsider 404 (private repo)", c.outsider(), next(), "/" + ssoOrg + "/private", 404);
            get("member private page (org without SSO)", c.ssoReader(), next(), "/" + openOrg + "/private", 200);
            get("member private page (org without SSO)", c.noSession(), next(), "/" + openOrg + "/private", 200);
            get("SSO org page with org SSO session", c.ssoReader(), next(), "/" + ssoOrg + "/private", 200);
            get("SSO org page with org SSO session", c.ssoReader(), next(), "/" + ssoOrg + "/public", 200);
            Page required = get("SSO required (member without org SSO session)", c.noSession(), next(),
                    "/" + ssoOrg + "/private", 403);
            if (!"sso-required".equals(required.header("X-Hub-Access"))) {
                misfit("SSO required (member without org SSO session)", required, "X-Hub-Access "
                        + required.header("X-Hub-Access"));
            }
            get("/health/ready", anonymous, next(), "/health/ready", 200);
        }

        /** Start on one node, the IdP's answer at the other node's ACS, completion there, the page back on the first. */
        void samlLogin(WebClient user, boolean startOnA) {
            String kind = "SAML sign-in (start, ACS, complete, page)";
            URI start = startOnA ? nodeA : nodeB;
            URI other = startOnA ? nodeB : nodeA;
            Page redirect = get(kind, user, start, "/organizations/" + ssoOrg + "/sso?returnTo=/" + ssoOrg
                    + "/private", 303);
            SamlFlow.Sent s = SamlFlow.sent(redirect);
            String answer = idp.answer(s.id(), s.spEntityId(), s.acs(), user.username() + "@example.test").encoded();
            Page acs = send(kind, s.acsAt(other).toString(), 303, () -> SamlFlow.postToAcs(other, s, answer));
            Page complete = get(kind, user, other, pathOf(acs.location()), 303);
            // The completion gave the session a new id on the other node; the page is asked of the start node.
            Page page = handOff(user, start, pathOf(complete.location()), 200);
            if (!page.contains("A model card.")) {
                misfit(kind, page, "not the repository page");
            }
        }

        /** A Faces form rendered by one node, posted back to it; the new repository read on the other node. */
        void facesPost(long round) {
            String kind = "Faces post (create repository)";
            URI node = next();
            Page form = get(kind, c.poster(), node, "/new?org=" + postsOrg, 200);
            String name = "r" + id + "-" + round;
            Page made = send(kind, form.uri().toString(), 302, () -> c.poster().submit(form, "repo", "submit",
                    Map.of("org", postsOrg, "kind", "dataset", "name", name, "visibility", "private", "readme",
                            "soak " + round)));
            if (!made.location().endsWith("/" + postsOrg + "/" + name)) {
                misfit(kind, made, "Location " + made.location());
            }
            get(kind, c.poster(), node.equals(nodeA) ? nodeB : nodeA, "/" + postsOrg + "/" + name, 200);
        }

        /** A fresh browser signs in on one node, is signed in on the other, signs out, and is signed out there. */
        void signInAndOut() {
            String kind = "fresh sign-in and sign-out";
            URI node = next();
            URI other = node.equals(nodeA) ? nodeB : nodeA;
            WebClient fresh = new WebClient(node);
            Page form = get(kind, fresh, node, "/login", 200);
            send(kind, form.uri().toString(), 302, () -> fresh.submit(form, "login", "submit", Map.of("login",
                    c.signer(), "password", PASSWORD)));
            // The sign-in gave the session a new id on this node; the next request goes to the other.
            handOff(fresh, other, "/settings/account", 200);
            Page logout = get(kind, fresh, node, "/logout", 200);
            send(kind, logout.uri().toString(), 302, () -> fresh.submit(logout, "logout", "submit", Map.of()));
            Page after = get(kind, fresh, other, "/settings/account", 302);
            if (!after.location().contains("/login")) {
                misfit(kind, after, "signed out, but sent to " + after.location());
            }
        }

        /**
         * The first request to {@code node} right after the other node gave the session a new id (hub sign-in, SSO
         * completion). Its answer is counted under a kind of its own; when it is not {@code expected}, the request is
         * repeated every 10 ms for up to 10 s, and how long the node took to know the session is recorded.
         */
        Page handOff(WebClient client, URI node, String path, int expected) {
            String url = on(node, path);
            long began = System.nanoTime();
            Page first = send(HAND_OFF, url, -1, () -> client.get(url));
            handOffs.increment();
            if (first.status() == expected) {
                return first;
            }
            long deadline = began + Duration.ofSeconds(10).toNanos();
            Page page = first;
            int tries = 0;
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Abort();
                }
                tries++;
                page = send(HAND_OFF_RETRY, url, -1, () -> client.get(url));
                if (page.status() == expected) {
                    lateHandOffs.add(String.format("%.0f ms (%d repeats, first answer %d)",
                            (System.nanoTime() - began) / 1e6, tries, first.status()));
                    return page;
                }
            }
            misfit(HAND_OFF, page, "still " + page.status() + " after 10 s of repeats (first answer "
                    + first.status() + ")");
            throw new Abort();
        }

        Page get(String kind, WebClient client, URI node, String path, int expected) {
            String url = on(node, path);
            return send(kind, url, expected, () -> client.get(url));
        }
    }

    interface Request {
        Page send();
    }

    /** Sends, counts the answer by kind and status, and keeps the first few surprises. */
    private Page send(String kind, String url, int expected, Request request) {
        requests.increment();
        Page page;
        try {
            page = request.send();
        } catch (IllegalStateException e) {
            connectionErrors.increment();
            count(kind, -1);
            keep(kind + ": connection error at " + url + ": " + e.getCause());
            throw new Abort();
        }
        count(kind, page.status());
        if (page.status() >= 500) {
            serverErrors.increment();
            keep(kind + ": " + page.status() + " at " + url + ": " + start(page.body()));
            throw new Abort();
        }
        if (expected > 0 && page.status() != expected) {
            misfit(kind, page, page.status() + " instead of " + expected);
            throw new Abort();
        }
        return page;
    }

    private void misfit(String kind, Page page, String what) {
        unexpected.increment();
        keep(kind + ": " + what + " at " + page.uri() + ": " + start(page.body()));
    }

    private void count(String kind, int status) {
        statuses.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new LongAdder())
                .increment();
    }

    private void keep(String line) {
        if (keptCount.incrementAndGet() <= KEEP) {
            kept.add(line);
        }
    }

    private void traffic(Setup setup, int threads, int minutes) throws Exception {
        List<Thread> running = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Worker w = new Worker(t, setup.clients().get(t));
            workers.add(w);
            Thread thread = new Thread(w, "soak-client-" + t);
            thread.setDaemon(true);
            running.add(thread);
        }
        long trafficStarted = System.nanoTime();
        running.forEach(Thread::start);
        Thread.sleep(WARM_UP.toMillis());
        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        long requestsAtT0 = requests.sum();
        samples.add(sample(0, t0));
        for (int m = 1; m <= minutes; m++) {
            long due = t0 + Duration.ofMinutes(m).toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            samples.add(sample(m, t0));
            if (m == 1) {
                firstHistogram = histograms();
            } else if (m == minutes) {
                lastHistogram = histograms();
            }
            System.out.println("[soak] minute " + m + "/" + minutes + ": " + requests.sum() + " requests, "
                    + serverErrors.sum() + " 5xx, " + connectionErrors.sum() + " connection errors, "
                    + unexpected.sum() + " unexpected; " + samples.get(samples.size() - 1));
        }
        long requestsAtEnd = requests.sum();
        double soakSeconds = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread thread : running) {
            thread.join(Duration.ofMinutes(2).toMillis());
        }
        double trafficSeconds = (System.nanoTime() - trafficStarted) / 1e9;
        Sample after = sample(-1, t0);

        report.add(String.format("traffic: %d client threads, %d s warm-up + %d min measured (%.0f s), %d requests"
                + " in all (%.0f req/s in the measured part), rounds per thread %s", threads, WARM_UP.toSeconds(),
                minutes, soakSeconds, requests.sum(), (requestsAtEnd - requestsAtT0) / soakSeconds,
                workers.stream().map(w -> String.valueOf(w.rounds + 1)).toList()));
        report.add(String.format("5xx: %d, connection errors: %d, other unexpected answers: %d, flow errors: %d"
                + " (in %.0f s of traffic)", serverErrors.sum(), connectionErrors.sum(), unexpected.sum(),
                flowErrors.sum(), trafficSeconds));
        report.add("answers per kind (status: count; -1 = connection error):");
        for (Map.Entry<String, Map<Integer, LongAdder>> kind : new TreeMap<>(statuses).entrySet()) {
            Map<Integer, Long> byStatus = new TreeMap<>();
            kind.getValue().forEach((s, n) -> byStatus.put(s, n.sum()));
            report.add(String.format("  %-48s %8d  %s", kind.getKey(), byStatus.values().stream().mapToLong(n -> n)
                    .sum(), byStatus));
        }
        List<String> late = new ArrayList<>(lateHandOffs);
        report.add(String.format("session id changed on one node (hub sign-in, SSO completion), next request on the"
                + " other: %d times, %d of them not yet signed in there at the first request; these knew the session"
                + " after: %s", handOffs.sum(), late.size(), late.size() > 20 ? late.subList(0, 20) + " ..." : late));
        if (!kept.isEmpty()) {
            report.add("first " + kept.size() + " surprises:");
            kept.forEach(k -> report.add("  " + k));
        }
        report.add("used heap after a full GC (jcmd GC.run, then GC.heap_info), metaspace used, RSS; per minute:");
        report.add("  min   A heap MB  A meta MB  A RSS MB   B heap MB  B meta MB  B RSS MB   load");
        List<Sample> all = new ArrayList<>(samples);
        all.add(after);
        for (Sample s : all) {
            report.add(String.format("  %-5s %9.1f  %9.1f  %8d   %9.1f  %9.1f  %8d   %s", s.minute < 0 ? "end"
                    : String.valueOf(s.minute), s.a.heapMb, s.a.metaMb, s.a.rssMb, s.b.heapMb, s.b.metaMb, s.b.rssMb,
                    s.load));
        }
        report.add("  (end: after the traffic stopped)");
        for (String node : List.of("A", "B")) {
            double[] x = samples.stream().mapToDouble(s -> s.at).toArray();
            double[] heap = samples.stream().mapToDouble(s -> (node.equals("A") ? s.a : s.b).heapMb).toArray();
            double[] rss = samples.stream().mapToDouble(s -> (node.equals("A") ? s.a : s.b).rssMb).toArray();
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            Gc f = node.equals("A") ? first.a : first.b;
            Gc l = node.equals("A") ? last.a : last.b;
            Gc e = node.equals("A") ? after.a : after.b;
            report.add(String.format("node %s: heap after full GC %.1f MB at minute 0, %.1f MB at minute %d (%+.1f MB),"
                    + " %.1f MB after the traffic; least-squares slope %+.2f MB/min (heap), %+.1f MB/min (RSS)", node,
                    f.heapMb, l.heapMb, last.minute, l.heapMb - f.heapMb, e.heapMb, slope(x, heap), slope(x, rss)));
        }
        if (firstHistogram != null && lastHistogram != null) {
            for (int n = 0; n < 2; n++) {
                report.add(String.format("node %s: classes whose instances grew most between minute 1 and minute %d"
                        + " (jcmd GC.class_histogram, after a full GC; MB and instances):", n == 0 ? "A" : "B",
                        minutes));
                growth(firstHistogram.get(n), lastHistogram.get(n), name -> true, 25)
                        .forEach(line -> report.add("  " + line));
                report.add("  classes named *Session* (the HTTP sessions and what holds them):");
                growth(firstHistogram.get(n), lastHistogram.get(n), name -> name.contains("Session"), 5)
                        .forEach(line -> report.add("    " + line));
            }
        }
        for (ClusterNode node : List.of(a, b)) {
            report.add(node.name() + " log: " + logSummary(work.resolve(node.name()).resolve("log")));
        }
    }

    // ---- heap after full GC -----------------------------------------------------------------------------------

    record Gc(double heapMb, double metaMb, long rssMb) {
    }

    record Sample(int minute, double at, Gc a, Gc b, String load) {
        @Override
        public String toString() {
            return String.format("heap after GC A %.1f MB, B %.1f MB; RSS A %d MB, B %d MB; load %s", a.heapMb,
                    b.heapMb, a.rssMb, b.rssMb, load);
        }
    }

    private Sample sample(int minute, long t0) throws Exception {
        double at = (System.nanoTime() - t0) / 60e9;
        Gc ga = gc(a);
        Gc gb = gc(b);
        return new Sample(minute, at, ga, gb, AppBenchmarks.loadAverage());
    }

    private static final Pattern HEAP = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern META = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private List<Map<String, long[]>> firstHistogram;
    private List<Map<String, long[]>> lastHistogram;

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Both nodes' live objects by class (a class histogram includes a full GC): class → {instances, bytes}. */
    private List<Map<String, long[]>> histograms() throws Exception {
        List<Map<String, long[]>> both = new ArrayList<>();
        for (ClusterNode node : List.of(a, b)) {
            Map<String, long[]> byClass = new HashMap<>();
            for (String line : jcmd(node, "GC.class_histogram").split("\n")) {
                Matcher m = HISTOGRAM_ROW.matcher(line);
                if (m.find()) {
                    byClass.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
                }
            }
            both.add(byClass);
        }
        return both;
    }

    /** The {@code top} classes {@code names} accepts whose bytes grew most from {@code before} to {@code after}. */
    static List<String> growth(Map<String, long[]> before, Map<String, long[]> after,
            java.util.function.Predicate<String> names, int top) {
        return after.entrySet().stream()
                .filter(e -> names.test(e.getKey()))
                .map(e -> {
                    long[] was = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
                })
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(top)
                .map(e -> String.format("%+8.2f MB  %+9d  %s", e.getValue()[1] / 1048576.0, e.getValue()[0],
                        e.getKey()))
                .toList();
    }

    /** A full GC of the node ({@code System.gc()} through jcmd), then its used heap and metaspace, and its RSS. */
    private static Gc gc(ClusterNode node) throws Exception {
        jcmd(node, "GC.run");
        String info = jcmd(node, "GC.heap_info");
        Matcher heap = HEAP.matcher(info);
        Matcher meta = META.matcher(info);
        if (!heap.find() || !meta.find()) {
            throw new IllegalStateException("unexpected GC.heap_info of " + node.name() + ": " + info);
        }
        return new Gc(Long.parseLong(heap.group(1)) / 1024.0, Long.parseLong(meta.group(1)) / 1024.0, node.rssMb());
    }

    private static String jcmd(ClusterNode node, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                String.valueOf(node.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + node.pid() + " " + command + " failed: " + out);
        }
        return out;
    }

    /** Least-squares slope of y over x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    /** How many SEVERE and WARNING lines the node logged, and the first few distinct SEVERE ones. */
    private static String logSummary(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            long severe = lines.stream().filter(l -> l.contains("SEVERE")).count();
            long warning = lines.stream().filter(l -> l.contains("WARNING")).count();
            List<String> first = new ArrayList<>();
            for (int i = 0; i < lines.size() && first.size() < 3; i++) {
                if (lines.get(i).contains("SEVERE") && i + 1 < lines.size()) {
                    String next = (lines.get(i) + " " + lines.get(i + 1)).replaceAll("\\s+", " ");
                    if (!first.contains(next)) {
                        first.add(next);
                    }
                }
            }
            return severe + " SEVERE, " + warning + " WARNING lines" + (first.isEmpty() ? "" : "; first: " + first)
                    + " (" + log + ")";
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB").findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String on(URI node, String path) {
        return node.resolve(path).toString();
    }

    /** A Location (possibly absolute at the base URL) as the same path and query at {@code node}. */
    private static String at(URI node, String location) {
        return on(node, pathOf(location));
    }

    private static String pathOf(String location) {
        URI u = URI.create(location);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static String start(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
