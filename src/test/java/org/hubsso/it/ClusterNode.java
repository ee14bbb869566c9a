package org.hubsso.it;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One hub node as {@code payara/cluster.sh} starts it: {@code java -jar payara-micro.jar} on loopback, Hazelcast
 * with TCP/IP discovery of the listed 127.0.0.1 members under its own cluster name and port, the WAR at "/", its
 * configuration (database, secret key, base URL) in {@code HUB_*} environment variables. With
 * {@code hub.test.server=wildfly}, as {@code servers/wildfly/cluster.sh} starts one: {@code servers/wildfly/run.sh}
 * with {@code standalone-ha.xml} (JGroups over TCP on 127.0.0.1, the listed members found by TCPPING), every port
 * moved so that HTTP is the given port, health on the management port.
 */
public final class ClusterNode implements AutoCloseable {

    /** Whether the nodes are WildFly's ({@code hub.test.server=wildfly}) rather than Payara Micro's. */
    public static final boolean WILDFLY = "wildfly".equals(System.getProperty("hub.test.server"));

    final String name;
    final int port;
    final Process process;
    final Path log;
    final long startedNanos;
    long readyNanos;

    private ClusterNode(String name, int port, Process process, Path log, long startedNanos) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * @param members the Hazelcast members, e.g. {@code 127.0.0.1:19092,127.0.0.1:19093}
     * @param env the node's HUB_* settings
     */
    public static ClusterNode start(Path work, String name, Path war, int port, int clusterPort, String members,
            String clusterName, Map<String, String> env) throws IOException {
        if (WILDFLY) {
            return startWildFly(work, name, war, port, members, env);
        }
        Path dir = Files.createDirectories(work.resolve(name));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("log");
        List<String> command = List.of(javaBin(), "-Xmx1g", "-Dhazelcast.socket.bind.any=false",
                "-Dhazelcast.phone.home.enabled=false",
                "-Djava.io.tmpdir=" + tmp, "-jar", System.getProperty("payara.microJar"),
                "--clustermode", "tcpip:" + members, "--interfaces", "127.0.0.1", "--nohostaware",
                "--clustername", clusterName, "--startport", String.valueOf(clusterPort),
                "--disablephonehome", "--port", String.valueOf(port),
                "--prebootcommandfile", System.getProperty("hub.preBoot"),
                "--deploy", war.toString(), "--contextroot", "/");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("HUB_DATA_DIR", dir.resolve("data").toString());
        long started = System.nanoTime();
        return new ClusterNode(name, port, pb.start(), log, started);
    }

    /**
     * A WildFly node: {@code members} lists the nodes' JGroups ports ({@code 127.0.0.1:7600+offset,...}), handed to
     * TCPPING as {@code hub.cluster.peerN.port}.
     */
    static ClusterNode startWildFly(Path work, String name, Path war, int port, String members,
            Map<String, String> env) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path log = dir.resolve("log");
        List<String> command = new ArrayList<>(List.of("bash", System.getProperty("hub.test.wildfly.run"),
                "-Djboss.node.name=" + name, "-Djboss.tx.node.id=" + name));
        String[] peers = members.split(",");
        for (int i = 0; i < peers.length; i++) {
            command.add("-Dhub.cluster.peer" + (i + 1) + ".port=" + peers[i].substring(peers[i].indexOf(':') + 1));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("WILDFLY_HOME", System.getProperty("hub.test.wildfly.home"));
        pb.environment().put("HUB_WAR", war.toString());
        pb.environment().put("HUB_WILDFLY_CONFIG", "standalone-ha.xml");
        pb.environment().put("HUB_WILDFLY_BASE", dir.resolve("server").toString());
        pb.environment().put("HUB_PORT_OFFSET", String.valueOf(port - 8080));
        pb.environment().put("HUB_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("JAVA_OPTS", "-Xmx1g");
        long started = System.nanoTime();
        return new ClusterNode(name, port, pb.start(), log, started);
    }

    /** The JGroups port of the WildFly node whose HTTP port is {@code httpPort}. */
    public static int jgroupsPort(int httpPort) {
        return 7600 + httpPort - 8080;
    }

    /** Where the node's readiness is: Payara serves health on its HTTP port, WildFly on its management port. */
    public URI healthUri() {
        return WILDFLY ? URI.create("http://127.0.0.1:" + (9990 + port - 8080) + "/") : uri();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Polls until {@code path} answers 200; returns the seconds since launch. */
    public double awaitOk(String path, Duration limit) throws InterruptedException {
        WebClient probe = new WebClient(uri());
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited early; see " + log);
            }
            try {
                if (probe.get(path).status() == 200) {
                    readyNanos = System.nanoTime();
                    return startSeconds();
                }
            } catch (IllegalStateException notYet) {
                // connection refused while booting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " gave no 200 for " + path + " within " + limit + "; see " + log);
    }

    /** Polls until {@code /health/ready} (with the database check) and {@code /login} answer 200. */
    public void awaitReady(Duration limit) throws InterruptedException {
        WebClient probe = new WebClient(uri());
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited early; see " + log);
            }
            try {
                WebClient.Page ready = new WebClient(healthUri()).get("/health/ready");
                if (ready.status() == 200 && ready.contains("hub-database") && probe.get("/login").status() == 200) {
                    readyNanos = System.nanoTime();
                    return;
                }
            } catch (IllegalStateException notYet) {
                // connection refused while booting
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready within " + limit + "; see " + log);
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static final Pattern GRID = Pattern.compile("DG Size: (\\d+)\\s*\\nInstances: \\{([^}]*)\\}");
    private static final Pattern ADDRESS = Pattern.compile("Address: /([0-9.]+):(\\d+)");

    /**
     * WildFly's reports of a JGroups view: at joining ("WFLYCLJG0033: ... joined cluster 'ejb' with view: [a|1] (2)
     * [a, b]") and at every change (Infinispan's "ISPN000094: Received new cluster view for channel ejb: ...").
     */
    private static final Pattern VIEW = Pattern.compile("(?:joined cluster '[^']+' with view|Received new cluster"
            + " view for channel \\S+): \\[[^\\]]*\\] \\(\\d+\\) \\[([^\\]]*)\\]");

    /**
     * The cluster members this node reported last: Hazelcast's ("Payara Data Grid State") as host:port, or on WildFly
     * the node names of the last JGroups view.
     */
    public List<String> gridMembers() throws IOException {
        if (WILDFLY) {
            Matcher v = VIEW.matcher(log());
            String last = null;
            while (v.find()) {
                last = v.group(1);
            }
            return last == null ? List.of() : List.of(last.split(",\\s*"));
        }
        Matcher m = GRID.matcher(log());
        String last = null;
        while (m.find()) {
            last = m.group(2);
        }
        List<String> members = new ArrayList<>();
        if (last != null) {
            Matcher a = ADDRESS.matcher(last);
            while (a.find()) {
                members.add(a.group(1) + ":" + a.group(2));
            }
        }
        return members;
    }

    /** The node's Java process: Payara Micro runs in the launched JVM, WildFly in a child of its launcher. */
    public long pid() {
        return jvm().pid();
    }

    private ProcessHandle jvm() {
        return Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants())
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .reduce((first, second) -> second).orElse(process.toHandle());
    }

    public String name() {
        return name;
    }

    public long rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    public double startSeconds() {
        return (readyNanos - startedNanos) / 1e9;
    }

    /**
     * Every TCP and UDP socket of this process, from {@code /proc/<pid>/fd} and {@code /proc/net/{tcp,tcp6,udp,udp6}}:
     * "proto local remote state", addresses decoded.
     */
    List<Socket> sockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        List<Socket> sockets = new ArrayList<>();
        for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path table = Path.of("/proc", String.valueOf(pid()), "net", proto);
            if (!Files.exists(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (inodes.contains(f[9])) {
                    sockets.add(new Socket(proto, address(f[1]), address(f[2]), f[3]));
                }
            }
        }
        return sockets;
    }

    /** A socket; {@code state} 0A is LISTEN (TCP), 07 an unconnected UDP socket. */
    record Socket(String proto, Endpoint local, Endpoint remote, String state) {

        boolean listening() {
            return proto.startsWith("tcp") && state.equals("0A") || proto.startsWith("udp") && state.equals("07");
        }

        @Override
        public String toString() {
            return proto + " " + local + " -> " + remote + " state " + state;
        }
    }

    record Endpoint(InetAddress address, int port) {

        boolean loopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    /** /proc/net address: hex address in host (little-endian) 32-bit words, a colon, the hex port. */
    static Endpoint address(String hex) throws IOException {
        String[] parts = hex.split(":");
        String a = parts[0];
        byte[] bytes = new byte[a.length() / 2];
        for (int word = 0; word < a.length() / 8; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(a.substring(at, at + 2), 16);
            }
        }
        return new Endpoint(InetAddress.getByAddress(bytes), new BigInteger(parts[1], 16).intValue());
    }

    /** kill -9: the node dies at once, without a chance to hand anything over. */
    public void kill() throws InterruptedException {
        ProcessHandle jvm = jvm();
        jvm.destroyForcibly();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        jvm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The product WAR plus the test-only servlet that marks emails verified (and {@link TestSessionTimeout}), written
     * into {@code work}.
     */
    public static Path warWithTestSupport(Path work) {
        Path war = work.resolve("hub.war");
        ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("hub.war")))
                .addClasses(TestSupportServlet.class, TestSessionTimeout.class).as(ZipExporter.class)
                .exportTo(war.toFile(), true);
        return war;
    }

    /**
     * The settings every node of one cluster shares: the PostgreSQL database {@code database} on {@code pg}'s
     * server, one fresh secret key, the load balancer's base URL (a loopback port) and the first admin's password.
     */
    public static Map<String, String> clusterEnv(PGSimpleDataSource pg, String database, int frontPort,
            String adminPassword) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return env("HUB_DB_DATASOURCE_CLASS", "org.postgresql.ds.PGSimpleDataSource",
                "HUB_DB_URL", "jdbc:postgresql://" + pg.getServerNames()[0] + ":" + pg.getPortNumbers()[0] + "/"
                        + database,
                "HUB_DB_USER", pg.getUser(),
                "HUB_DB_PASSWORD", System.getProperty("hub.test.pg.password", "unused-with-trust"),
                "HUB_SECRET_KEY", Base64.getEncoder().encodeToString(key),
                "HUB_BASE_URL", "http://127.0.0.1:" + frontPort,
                "HUB_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                // The test IdPs (mock-oauth2-server) listen on loopback.
                "HUB_OUTBOUND_ALLOW", "loopback");
    }

    public static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }
}
