package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hubsso.it.WebClient.Page;
import org.junit.jupiter.api.Test;

/**
 * The quick start as a newcomer meets it: Payara Micro started with the project's pre-boot commands and no
 * configured admin password, on an empty data directory (in the WildFly execution, {@code hub.test.server=wildfly}:
 * the same WAR through {@code servers/wildfly/run.sh}). Signs in with the generated password, creates an
 * organization and a repository in the UI, restarts, and finds them again. Records the time to the first 200
 * and the resident memory in target/measurements/quickstart[-wildfly].txt.
 */
class RestartIT {

    // WildFly moves all its ports by one offset: 50 keeps them clear of the test server's (an offset 1 apart would
    // give this node's transaction ports to the other).
    static final int PORT = Integer.getInteger("hub.test.http.port", 18480) + (Node.WILDFLY ? 50 : 1);
    static final int CLUSTER_PORT = Integer.getInteger("hub.test.cluster.port", 18490) + 1;

    @Test
    void dataCreatedInTheUiSurvivesARestart() throws Exception {
        Path work = Path.of(System.getProperty("hub.test.dir", "target/it")).resolve("restart-" + UUID.randomUUID());
        Path data = work.resolve("data");
        Files.createDirectories(work);
        List<String> report = new ArrayList<>();

        String org = "persist-" + UUID.randomUUID().toString().substring(0, 8);
        try (Node node = Node.start(work, data, "first")) {
            report.add(node.measure("first start (empty database: migrations + bootstrap)"));
            Path passwordFile = data.resolve("initial-admin-password");
            assertTrue(Files.exists(passwordFile), "the generated admin password is written to the data directory");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(passwordFile), "readable by the owner only");
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            assertTrue(!node.log().contains(password), "the password never appears in the log");

            WebClient admin = new WebClient(node.uri());
            assertEquals(200, admin.signIn("admin", password).status());
            Page created = admin.submit(admin.get("/organizations/new"), "org", "submit",
                    Map.of("name", org, "displayName", "Persistent Org"));
            assertEquals(302, created.status(), created::body);
            Page repo = admin.submit(admin.get("/new?org=" + org), "repo", "submit", Map.of("org", org,
                    "kind", "model", "name", "kept", "visibility", "private", "readme", "still here"));
            assertEquals(302, repo.status(), repo::body);

            // No SMTP server is set, as in the quick start: a newcomer's verification mail is an .eml file in the
            // outbox folder (owner-only), and its link is in the log; following it verifies the address.
            String newcomer = "nc-" + UUID.randomUUID().toString().substring(0, 8);
            WebClient web = new WebClient(node.uri());
            Page joined = web.submit(web.get("/join"), "join", "submit", Map.of("username", newcomer, "displayName",
                    "", "email", newcomer + "@example.test", "password", "correct-horse-battery"));
            assertEquals(302, joined.status(), joined::body);
            Path outbox = data.resolve("outbox");
            Path eml = awaitOutbox(outbox, newcomer + "@example.test");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(eml), "the message is readable by the owner only");
            String message = Files.readString(eml, StandardCharsets.UTF_8).replace("=\r\n", "").replace("=3D", "=");
            java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                    "http://127\\.0\\.0\\.1:\\d+/settings/account/verify\\?token=[A-Za-z0-9_-]+").matcher(message);
            assertTrue(link.find(), message);
            assertTrue(node.log().contains(link.group()), "the link is in the log, for whoever runs the quick start");
            assertTrue(web.get(link.group()).contains("data-outcome=\"verified\""));
        }
        try (Node node = Node.start(work, data, "second")) {
            report.add(node.measure("restart (existing database)"));
            String password = Files.readString(data.resolve("initial-admin-password"), StandardCharsets.UTF_8).strip();
            WebClient admin = new WebClient(node.uri());
            admin.signIn("admin", password);
            Page orgPage = admin.get("/" + org);
            assertEquals(200, orgPage.status());
            assertTrue(orgPage.contains("Persistent Org"));
            Page repoPage = admin.get("/" + org + "/kept");
            assertEquals(200, repoPage.status());
            assertTrue(repoPage.contains("still here"));
            assertTrue(node.log().contains("0 migrations applied now"), "no migration ran again");
        }
        Path out = Path.of("target", "measurements", Node.WILDFLY ? "quickstart-wildfly.txt" : "quickstart.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(line -> System.out.println("[measurement] " + line));
    }

    /** Waits (at most 30 s) for a message to {@code to} in the outbox folder. */
    private static Path awaitOutbox(Path outbox, String to) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(outbox)) {
                try (var files = Files.list(outbox)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                        if (Files.readString(p, StandardCharsets.UTF_8).contains("To: " + to)) {
                            return p;
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no message to " + to + " in " + outbox);
    }

    /** One server process on loopback, started the way the quick start (or the WildFly launcher) starts it. */
    static final class Node implements AutoCloseable {

        static final boolean WILDFLY = "wildfly".equals(System.getProperty("hub.test.server"));

        final Process process;
        final Path log;
        final long startedNanos;
        long firstOkNanos;

        private Node(Process process, Path log, long startedNanos) {
            this.process = process;
            this.log = log;
            this.startedNanos = startedNanos;
        }

        static Node start(Path work, Path data, String name) throws IOException, InterruptedException {
            return WILDFLY ? startWildFly(work, data, name) : startPayara(work, data, name);
        }

        /** {@code servers/wildfly/run.sh}, every port moved so that HTTP is {@link #PORT}. */
        static Node startWildFly(Path work, Path data, String name) throws IOException, InterruptedException {
            Path log = work.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder("bash", System.getProperty("hub.test.wildfly.run"))
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("WILDFLY_HOME", System.getProperty("hub.test.wildfly.home"));
            pb.environment().put("HUB_WAR", System.getProperty("hub.war"));
            pb.environment().put("HUB_WILDFLY_BASE", work.resolve("wildfly-base").toString());
            pb.environment().put("HUB_PORT_OFFSET", String.valueOf(PORT - 8080));
            pb.environment().put("HUB_DATA_DIR", data.toString());
            long started = System.nanoTime();
            Node node = new Node(pb.start(), log, started);
            node.awaitFirstOk(Duration.ofMinutes(4));
            return node;
        }

        static Node startPayara(Path work, Path data, String name) throws IOException, InterruptedException {
            Path log = work.resolve(name + ".log");
            Path tmp = Files.createDirectories(work.resolve("tmp-" + name));
            List<String> command = List.of(javaBin(), "-Xmx1g", "-Dhazelcast.socket.bind.any=false",
                "-Dhazelcast.phone.home.enabled=false",
                    "-Djava.io.tmpdir=" + tmp, "-Dhub.data.dir=" + data, "-jar", System.getProperty("payara.microJar"),
                    "--clustermode", "tcpip:127.0.0.1:" + CLUSTER_PORT, "--interfaces", "127.0.0.1", "--nohostaware",
                    "--clustername", "hub-restart-it", "--startport", String.valueOf(CLUSTER_PORT),
                    "--disablephonehome", "--port", String.valueOf(PORT),
                    "--prebootcommandfile", System.getProperty("hub.preBoot"),
                    "--deploy", System.getProperty("hub.war"), "--contextroot", "/");
            long started = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Node node = new Node(p, log, started);
            node.awaitFirstOk(Duration.ofMinutes(4));
            return node;
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + PORT + "/");
        }

        void awaitFirstOk(Duration limit) throws InterruptedException {
            WebClient probe = new WebClient(uri());
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError((WILDFLY ? "WildFly" : "Payara Micro") + " exited early; see " + log);
                }
                try {
                    if (probe.get("/login").status() == 200) {
                        firstOkNanos = System.nanoTime();
                        return;
                    }
                } catch (IllegalStateException notYet) {
                    // connection refused while booting
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no 200 from /login within " + limit + "; see " + log);
        }

        String measure(String what) throws IOException {
            double seconds = (firstOkNanos - startedNanos) / 1e9;
            return String.format("%s%s: first 200 after %.1f s, RSS %d MB (pid %d, %s)", WILDFLY ? "WildFly " : "",
                    what, seconds, rssKb(jvm().pid()) / 1024, jvm().pid(), Runtime.version());
        }

        String log() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        static long rssKb(long pid) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        static String javaBin() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        /** The server's JVM: the launched process itself (Payara Micro), or the launcher's Java child (WildFly). */
        ProcessHandle jvm() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()),
                    process.toHandle().descendants()).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .reduce((first, second) -> second).orElse(process.toHandle());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

}
