package org.hubsso.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.hubsso.RequiredParts;
import org.hubsso.sso.saml.TestIdp;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.keycloak.dom.saml.v2.metadata.EndpointType;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.dom.saml.v2.metadata.SPSSODescriptorType;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;
import org.w3c.dom.Element;

/**
 * A real SimpleSAMLphp IdP (Debian's {@code simplesamlphp} package) served by an Apache httpd of its own with mod_php,
 * as a child process on 127.0.0.1 over plain http, for end-to-end SSO tests. Everything it reads is written for the
 * run into a new directory under {@code target/}: the httpd configuration, SimpleSAMLphp's {@code config.php},
 * {@code authsources.php} (users of {@code exampleauth:UserPass}) and metadata, and the IdP's key and certificate,
 * made here. SimpleSAMLphp finds its configuration through {@code SIMPLESAMLPHP_CONFIG_DIR} ({@code SetEnv} in the
 * httpd configuration): Debian's {@code /etc/simplesamlphp} and {@code /etc/apache2} are not read, and the system's
 * Apache service is not involved. Every SAML option keeps SimpleSAMLphp's default; an SP is registered from the hub's
 * SP metadata ({@link #registerSp}), as an IdP admin would.
 *
 * <p>Register it with {@code @ExtendWith} before {@code ArquillianExtension}: it starts httpd before the application
 * server boots and stops it after the class (destroy, then destroyForcibly after a timeout). When a part is missing
 * it starts nothing; the test calls {@link #require()} in its {@code @BeforeAll} to skip (or fail on CI).
 */
public final class SimpleSamlPhpServer implements BeforeAllCallback, AfterAllCallback {

    static final Path APACHE = Path.of("/usr/sbin/apache2");
    static final Path APACHE_MODULES = Path.of("/usr/lib/apache2/modules");
    static final Path SIMPLESAMLPHP = Path.of("/usr/share/simplesamlphp");

    /** The IdP user whose email is the hub's bootstrap admin's. */
    public static final String ADMIN_USER = "hub-admin";
    public static final String ADMIN_MAIL = "admin@hub.localhost";
    /** Password of every IdP user. */
    public static final String PASSWORD = "ssp-user-password-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static SimpleSamlPhpServer current;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    /** The IdP user of the hub member the test signs up: {@code <member>@example.test}, as the hub's fixtures make. */
    private final String member = "sspm-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> spEntries = new LinkedHashMap<>();
    /** SimpleSAMLphp's own admin ({@code core:AdminPassword}, user {@code admin}). */
    private final String adminPassword = random();
    private Process process;
    private Path dir;
    private int port;
    private Instant launchedAt;
    private boolean ready;

    /** The SimpleSAMLphp of the running test class. */
    public static SimpleSamlPhpServer current() {
        if (current == null) {
            throw new IllegalStateException("SimpleSamlPhpServer is not registered with @ExtendWith on this class");
        }
        return current;
    }

    /**
     * Skips the calling test when SimpleSAMLphp, Apache httpd or PHP for it is not installed, except on CI
     * ({@code CI=true}), where the test must run, so it fails instead.
     */
    public static void require() {
        List<String> missing = missingParts();
        RequiredParts.require(missing.isEmpty(), "SimpleSAMLphp under Apache httpd with mod_php for the SimpleSAMLphp"
                + " tests (missing " + missing + ")", "install it with 'apt-get install simplesamlphp php-xml"
                + " php-mbstring apache2 libapache2-mod-php'");
    }

    private static List<String> missingParts() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(APACHE)) {
            missing.add(APACHE.toString());
        }
        if (modPhp() == null) {
            missing.add(APACHE_MODULES + "/libphp*.so (libapache2-mod-php)");
        }
        if (!Files.isRegularFile(SIMPLESAMLPHP.resolve("www/saml2/idp/SSOService.php"))) {
            missing.add(SIMPLESAMLPHP + " (simplesamlphp)");
        }
        for (String[] extension : new String[][] {{"dom", "php-xml"}, {"mbstring", "php-mbstring"}}) {
            if (!phpExtensionEnabled(extension[0])) {
                missing.add("PHP extension " + extension[0] + " (" + extension[1] + ")");
            }
        }
        return missing;
    }

    /** mod_php: Debian names it after the PHP version ({@code libphp8.2.so}). */
    private static Path modPhp() {
        if (!Files.isDirectory(APACHE_MODULES)) {
            return null;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(APACHE_MODULES, "libphp*.so")) {
            for (Path p : found) {
                return p;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static boolean phpExtensionEnabled(String name) {
        Path php = Path.of("/etc/php");
        if (!Files.isDirectory(php)) {
            return false;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(php)) {
            for (Path version : versions) {
                Path conf = version.resolve("apache2/conf.d");
                if (Files.isDirectory(conf)) {
                    try (DirectoryStream<Path> inis = Files.newDirectoryStream(conf, "*-" + name + ".ini")) {
                        if (inis.iterator().hasNext()) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        current = this;
        if (!missingParts().isEmpty()) {
            return; // the test skips (or fails on CI) in its own @BeforeAll: nothing to start for it
        }
        launch(Integer.getInteger("hub.test.ssp.port", Integer.getInteger("hub.test.http.port", 18480) + 150));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        current = null;
    }

    private void launch(int port) throws IOException {
        this.port = port;
        LocalProcesses.requireFree(port, "hub.test.ssp.port");
        Path target = Path.of("target").toAbsolutePath(); // failsafe runs in the project directory
        dir = Files.createDirectories(target.resolve("simplesamlphp-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        for (String sub : List.of("config", "metadata", "cert", "run", "htdocs")) {
            Files.createDirectories(dir.resolve(sub));
        }
        // Written by httpd's children, which run as www-data when the test runs as root.
        for (String sub : List.of("log", "var", "var/tmp", "var/sessions")) {
            Files.setPosixFilePermissions(Files.createDirectories(dir.resolve(sub)),
                    PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@DIR@", dir.toString());
        values.put("@PORT@", String.valueOf(port));
        values.put("@MODULES@", APACHE_MODULES.toString());
        values.put("@MOD_PHP@", modPhp().getFileName().toString());
        values.put("@SSP@", SIMPLESAMLPHP.toString());
        values.put("@USER@", root ? "User www-data\nGroup www-data" : "");
        values.put("@SECRET_SALT@", random());
        values.put("@ADMIN_PASSWORD@", adminPassword);
        values.put("@ADMIN_USER@", ADMIN_USER);
        values.put("@ADMIN_MAIL@", ADMIN_MAIL);
        values.put("@MEMBER_USER@", member);
        values.put("@MEMBER_MAIL@", member + "@example.test");
        values.put("@PASSWORD@", PASSWORD);
        writeTemplate("httpd.conf", dir.resolve("httpd.conf"), values);
        writeTemplate("config.php", dir.resolve("config/config.php"), values);
        writeTemplate("authsources.php", dir.resolve("config/authsources.php"), values);
        writeTemplate("saml20-idp-hosted.php", dir.resolve("metadata/saml20-idp-hosted.php"), values);
        writeSpMetadata();
        writeIdpKey();

        // NO_DETACH: httpd stays this process (no fork) but leads a session of its own, so the signal it sends its
        // process group when it stops reaches its children only (with FOREGROUND it would reach the test's JVM).
        ProcessBuilder builder = new ProcessBuilder(APACHE.toString(), "-f", dir.resolve("httpd.conf").toString(),
                "-DNO_DETACH")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/apache-console.log").toFile());
        launchedAt = Instant.now();
        process = builder.start();
    }

    /** Waits until SimpleSAMLphp serves its IdP metadata. */
    public SimpleSamlPhpServer awaitReady() {
        if (process == null) {
            throw new IllegalStateException("SimpleSAMLphp was not launched");
        }
        if (ready) {
            return this;
        }
        Instant deadline = launchedAt.plus(START_TIMEOUT);
        URI uri = URI.create(metadataUrl());
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("httpd exited with " + process.exitValue() + ":\n" + logs());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("SimpleSAMLphp not ready after " + START_TIMEOUT + ":\n" + logs());
            }
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() == 200 && res.body().contains("IDPSSODescriptor")) {
                    break;
                }
                if (res.statusCode() >= 500) {
                    throw new IllegalStateException("SimpleSAMLphp answers " + res.statusCode() + ": " + res.body()
                            + "\n" + logs());
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        ready = true;
        System.out.println("SimpleSAMLphp ready on " + base() + " in " + Duration.between(launchedAt, Instant.now())
                .toMillis() + " ms (files and logs: " + dir + ")");
        return this;
    }

    public void stop() {
        if (process == null) {
            return;
        }
        LocalProcesses.stop(process, STOP_TIMEOUT); // SIGTERM: httpd stops its children, then itself
        process = null;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The IdP's metadata URL, which is also its entity ID (SimpleSAMLphp's {@code __DYNAMIC:1__}). */
    public String metadataUrl() {
        return base() + "/simplesaml/saml2/idp/metadata.php";
    }

    public String entityId() {
        return metadataUrl();
    }

    public String signOnUrl() {
        return base() + "/simplesaml/saml2/idp/SSOService.php";
    }

    /** The IdP user of the hub member the test signs up as {@code member()} with {@code <member>@example.test}. */
    public String member() {
        return member;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Registers an SP in {@code metadata/saml20-sp-remote.php} from its SAML metadata, as an IdP admin does: entity
     * ID, the ACS (HTTP-POST), and the certificates it publishes for signing (its AuthnRequests are then checked,
     * {@code validate.authnrequest}) and for encryption (assertions are encrypted to it, {@code assertion.encryption}).
     * The NameID format is left out: SimpleSAMLphp's default, transient. SimpleSAMLphp reads the file at every
     * request.
     *
     * @param extraPhp more entries of the SP's metadata array, as PHP source ({@code "'key' => value,"}), or empty
     */
    public void registerSp(String spMetadata, String extraPhp) {
        EntityDescriptorType entity;
        try {
            entity = SAMLMetadataUtil.parseEntityDescriptorType(spMetadata);
        } catch (Exception e) {
            throw new AssertionError("unreadable SP metadata: " + spMetadata, e);
        }
        SPSSODescriptorType sp = entity.getChoiceType().get(0).getDescriptors().get(0).getSpDescriptor();
        StringBuilder php = new StringBuilder();
        php.append("$metadata[").append(phpString(entity.getEntityID())).append("] = [\n");
        php.append("    'AssertionConsumerService' => [\n");
        int index = 0;
        for (EndpointType acs : sp.getAssertionConsumerService()) {
            php.append("        ['Binding' => ").append(phpString(acs.getBinding().toString()))
                    .append(", 'Location' => ").append(phpString(acs.getLocation().toString()))
                    .append(", 'index' => ").append(index++).append("],\n");
        }
        php.append("    ],\n    'keys' => [\n");
        int keys = 0;
        for (KeyDescriptorType key : sp.getKeyDescriptor()) {
            for (String certificate : certificates(key.getKeyInfo())) {
                boolean signing = key.getUse() == null || key.getUse() == KeyTypes.SIGNING;
                boolean encryption = key.getUse() == null || key.getUse() == KeyTypes.ENCRYPTION;
                php.append("        ['type' => 'X509Certificate', 'signing' => ").append(signing)
                        .append(", 'encryption' => ").append(encryption).append(", 'X509Certificate' => ")
                        .append(phpString(certificate)).append("],\n");
                keys++;
            }
        }
        if (keys == 0) {
            throw new AssertionError("no certificate in the SP metadata: " + spMetadata);
        }
        php.append("    ],\n");
        php.append("    'validate.authnrequest' => ").append(Boolean.TRUE.equals(sp.isAuthnRequestsSigned()))
                .append(",\n");
        php.append("    'assertion.encryption' => ").append(sp.getKeyDescriptor().stream()
                .anyMatch(k -> k.getUse() == KeyTypes.ENCRYPTION)).append(",\n");
        if (!extraPhp.isEmpty()) {
            php.append("    ").append(extraPhp.strip()).append('\n');
        }
        php.append("];\n");
        synchronized (spEntries) {
            spEntries.put(entity.getEntityID(), php.toString());
            writeSpMetadata();
        }
    }

    /**
     * Registers an SP as SimpleSAMLphp's admin does with its own metadata converter
     * ({@code /simplesaml/admin/metadata-converter.php}, signed in as its admin): the SP's metadata pasted, the
     * {@code saml20-sp-remote} entry it gives added to the SP metadata file unchanged, with {@code extraPhp} (more
     * entries of the array, as PHP source) appended.
     *
     * @return the converted entry
     */
    public String registerSpWithConverter(String spMetadata, String extraPhp) {
        WebClient browser = new WebClient(URI.create(base()));
        String converter = base() + "/simplesaml/admin/metadata-converter.php";
        WebClient.Page page = browser.follow(browser.get(converter));
        if (page.contains("name=\"password\"")) {
            Map<String, String> login = new LinkedHashMap<>(SimpleSamlPhpPages.hiddenInputs(page.body()));
            login.put("username", "admin");
            login.put("password", adminPassword);
            page = browser.follow(browser.post(page.uri().toString().replaceFirst("\\?.*$", ""), login));
        }
        if (!page.contains("name=\"xmldata\"")) {
            throw new AssertionError("no metadata converter (" + page.status() + " at " + page.uri() + "): "
                    + page.body() + "\n" + logs());
        }
        WebClient.Page converted = browser.post(converter, Map.of("xmldata", spMetadata));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?s)<h3>saml20-sp-remote</h3>.*?<pre id=\"metadata\\d+\">(.*?)</pre>").matcher(converted.body());
        if (!m.find()) {
            throw new AssertionError("no saml20-sp-remote entry from the converter: " + converted.body());
        }
        String entry = SimpleSamlPhpPages.html(m.group(1)).strip();
        String entityId = java.util.regex.Pattern.compile("^\\$metadata\\['([^']+)'\\]").matcher(entry).results()
                .findFirst().orElseThrow(() -> new AssertionError("not an SP entry: " + entry)).group(1);
        String registered = extraPhp.isEmpty() ? entry
                : entry.substring(0, entry.lastIndexOf("];")) + "    " + extraPhp.strip() + "\n];";
        synchronized (spEntries) {
            spEntries.put(entityId, registered + "\n");
            writeSpMetadata();
        }
        return registered;
    }

    private static List<String> certificates(Element keyInfo) {
        List<String> found = new ArrayList<>();
        org.w3c.dom.NodeList nodes = keyInfo.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#",
                "X509Certificate");
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add(nodes.item(i).getTextContent().replaceAll("\\s", ""));
        }
        return found;
    }

    private void writeSpMetadata() {
        StringBuilder file = new StringBuilder("<?php\n/* The SPs this IdP serves, written by the test from their SAML"
                + " metadata. */\n");
        spEntries.values().forEach(entry -> file.append('\n').append(entry));
        try {
            Path tmp = dir.resolve("metadata/saml20-sp-remote.php.new");
            Files.writeString(tmp, file, UTF_8);
            Files.move(tmp, dir.resolve("metadata/saml20-sp-remote.php"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String phpString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The IdP's RSA key (PKCS#8 PEM) and its self-signed certificate, as an admin makes them with openssl. */
    /** SimpleSAMLphp's signing key and certificate, made as the in-test IdP makes its own. */
    private void writeIdpKey() throws IOException {
        TestIdp idp = new TestIdp("SimpleSAMLphp test IdP");
        try {
            Files.writeString(dir.resolve("cert/idp.key"), pem("PRIVATE KEY", idp.keys.getPrivate().getEncoded()));
            Files.writeString(dir.resolve("cert/idp.crt"), pem("CERTIFICATE", idp.certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the IdP's key", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void writeTemplate(String name, Path to, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = SimpleSamlPhpServer.class.getResourceAsStream("/simplesamlphp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("src/test/resources/simplesamlphp/" + name + " is missing");
            }
            text = new String(in.readAllBytes(), UTF_8);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        Files.writeString(to, text, UTF_8);
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The ends of httpd's and SimpleSAMLphp's logs, for a failure message. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("apache-console.log", "apache-error.log", "simplesamlphp.log")) {
            Path log = dir.resolve("log").resolve(name);
            if (!Files.exists(log)) {
                continue;
            }
            out.append("--- ").append(log).append('\n').append(LocalProcesses.tail(log, 30)).append('\n');
        }
        return out.toString();
    }
}
