package org.hubsso.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked by the build into {@code target/keycloak}) as a child
 * process on 127.0.0.1, for end-to-end SSO tests. Register it before {@code ArquillianExtension}: it launches
 * Keycloak before the application server boots, so both start at the same time; {@link #awaitReady()} waits for
 * it. It always stops Keycloak after the class (destroy, then destroyForcibly after a timeout).
 *
 * <p>Loopback only: HTTP bound to 127.0.0.1 and the issuer pinned to {@code http://localhost:<port>} (the only
 * name the test browser resolves), an in-memory database (every run starts empty; the realm {@code hub} is
 * imported from {@code keycloak/hub-realm.json}), local caches, no health or metrics endpoints.
 */
public final class KeycloakServer implements BeforeAllCallback, AfterAllCallback {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "keycloak-bootstrap-password-1";
    public static final String REALM = "hub";
    /** Password of the users of the imported realm and of those the test adds. */
    public static final String USER_PASSWORD = "keycloak-user-password-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static KeycloakServer current;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path log;
    private int port;
    private Instant launchedAt;
    private Duration startTime;

    /** The Keycloak of the running test class. */
    public static KeycloakServer current() {
        if (current == null) {
            throw new IllegalStateException("KeycloakServer is not registered with @ExtendWith on this class");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        current = this;
        if (!Files.isExecutable(Browsers.CHROMIUM) || !Files.isExecutable(Browsers.CHROMEDRIVER)) {
            return; // the test skips (or fails on CI) in its own @BeforeAll: nothing to start for it
        }
        launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        current = null;
    }

    private void launch() throws IOException {
        launch(Integer.getInteger("hub.test.keycloak.port", Integer.getInteger("hub.test.http.port", 18480) + 100),
                List.of());
    }

    /**
     * Launches Keycloak outside JUnit (the whole-server benchmarks), from {@code hub.test.keycloak.home} on
     * 127.0.0.1:{@code port}, with {@code extraOptions} after the usual ones; {@link #awaitReady()} waits for it,
     * {@link #stop()} stops it.
     */
    public static KeycloakServer start(int port, List<String> extraOptions) throws IOException {
        KeycloakServer server = new KeycloakServer();
        server.launch(port, extraOptions);
        return server;
    }

    private void launch(int port, List<String> extraOptions) throws IOException {
        String homeProperty = System.getProperty("hub.test.keycloak.home");
        if (homeProperty == null || !Files.isExecutable(Path.of(homeProperty, "bin", "kc.sh"))) {
            throw new IllegalStateException("No Keycloak at hub.test.keycloak.home=" + homeProperty
                    + " (the build unpacks it in pre-integration-test: run through ./mvnw verify)");
        }
        Path home = Path.of(homeProperty).toAbsolutePath();
        this.port = port;
        LocalProcesses.requireFree(port, "hub.test.keycloak.port");

        // A fresh data directory at every start (--import-realm skips realms that exist), the realm to import.
        Path data = home.resolve("data");
        deleteTree(data);
        Path imports = Files.createDirectories(data.resolve("import"));
        try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/hub-realm.json")) {
            if (realm == null) {
                throw new IllegalStateException("src/test/resources/keycloak/hub-realm.json is missing");
            }
            Files.copy(realm, imports.resolve("hub-realm.json"));
        }
        Path target = Path.of("target").toAbsolutePath(); // failsafe runs in the project directory
        Path tmp = Files.createDirectories(target.resolve("keycloak-tmp"));
        log = target.resolve("keycloak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".log");

        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--hostname=http://localhost:" + port,
                "--db=dev-mem", "--cache=local", "--import-realm", "--health-enabled=false",
                "--metrics-enabled=false"));
        command.addAll(extraOptions);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK running the tests
        env.put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp);
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        launchedAt = Instant.now();
        process = builder.start();
    }

    /** Waits until Keycloak answers for the master realm and the imported realm. */
    public KeycloakServer awaitReady() {
        if (process == null) {
            throw new IllegalStateException("Keycloak was not launched");
        }
        if (startTime != null) {
            return this;
        }
        Instant deadline = launchedAt.plus(START_TIMEOUT);
        for (String realm : List.of("master", REALM)) {
            URI uri = URI.create(direct() + "/realms/" + realm);
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; end of "
                            + log + ":\n" + tail());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Keycloak not ready after " + START_TIMEOUT + "; end of " + log
                            + ":\n" + tail());
                }
                try {
                    HttpResponse<Void> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                            .GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (res.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                // Wait for the process (not a fixed sleep): returns at once if it dies.
                try {
                    process.waitFor(250, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        startTime = Duration.between(launchedAt, Instant.now());
        System.out.println("Keycloak ready on " + base() + " in " + startTime.toMillis() + " ms (log: " + log + ")");
        return this;
    }

    public void stop() {
        if (process == null) {
            return;
        }
        LocalProcesses.stop(process, STOP_TIMEOUT);
        process = null;
    }

    /**
     * The URL the browser reaches Keycloak at; also its issuer base. The test browser's host resolver rule lets
     * only {@code localhost} through (it maps IP literals such as 127.0.0.1 to NOTFOUND too).
     */
    public String base() {
        return "http://localhost:" + port;
    }

    /** The same server addressed by IP, for the test's own HTTP calls (Keycloak listens on 127.0.0.1 only). */
    private String direct() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The Java process serving Keycloak: {@code kc.sh} runs Java as its child, or execs it in its own place after a
     * re-augmentation (exit code 10), so the launched process itself may be the Java one.
     */
    public ProcessHandle javaProcess() {
        if (process == null) {
            throw new IllegalStateException("Keycloak was not launched");
        }
        ProcessHandle self = process.toHandle();
        return Stream.concat(Stream.of(self), self.descendants()).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false))
                .reduce((first, second) -> second) // the deepest Java process
                .orElseThrow(() -> new IllegalStateException("no Java process under kc.sh (pid " + self.pid() + ")"));
    }

    public Duration startTime() {
        return startTime;
    }

    public Path log() {
        return log;
    }

    /** The hub realm's SAML IdP metadata. */
    public String idpMetadata() {
        HttpResponse<String> res = send(HttpRequest.newBuilder(
                URI.create(direct() + "/realms/" + REALM + "/protocol/saml/descriptor")).GET());
        expect(200, res);
        return res.body();
    }

    /**
     * Registers a SAML client the way an admin of the organization would for this hub: the SP entity ID as client
     * ID, the ACS as the only redirect URI (POST binding forced), NameID format email, unsigned AuthnRequests
     * accepted, the response and the assertion signed with RSA_SHA256, the email also sent as attribute
     * {@code email}.
     */
    public void registerSamlClient(String spEntityId, String acsUrl) {
        registerSamlClient(spEntityId, acsUrl, null);
    }

    /**
     * As above, but with Keycloak's default "Client signature required" on: AuthnRequests must be signed with the
     * key of {@code spSigningCertificate} (base64 DER, as the SP metadata has it), which goes where the admin pastes
     * it in Keycloak's "Keys" tab.
     */
    public void registerSamlClient(String spEntityId, String acsUrl, String spSigningCertificate) {
        boolean signed = spSigningCertificate != null;
        JsonObject client = Json.createObjectBuilder()
                .add("clientId", spEntityId)
                .add("name", "Hub organization")
                .add("protocol", "saml")
                .add("enabled", true)
                .add("frontchannelLogout", false)
                .add("redirectUris", Json.createArrayBuilder().add(acsUrl))
                .add("defaultClientScopes", Json.createArrayBuilder())
                .add("optionalClientScopes", Json.createArrayBuilder())
                .add("attributes", Json.createObjectBuilder()
                        .add("saml_name_id_format", "email")
                        .add("saml.force.name.id.format", "true")
                        .add("saml.client.signature", String.valueOf(signed))
                        .add("saml.signing.certificate", signed ? spSigningCertificate : "")
                        .add("saml.server.signature", "true")
                        .add("saml.assertion.signature", "true")
                        .add("saml.signature.algorithm", "RSA_SHA256")
                        .add("saml_signature_canonicalization_method", "http://www.w3.org/2001/10/xml-exc-c14n#")
                        .add("saml.force.post.binding", "true")
                        .add("saml.authnstatement", "true")
                        .add("saml.encrypt", "false")
                        .add("saml_assertion_consumer_url_post", acsUrl))
                .add("protocolMappers", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "email")
                        .add("protocol", "saml")
                        .add("protocolMapper", "saml-user-property-mapper")
                        .add("config", Json.createObjectBuilder()
                                .add("user.attribute", "email")
                                .add("attribute.name", "email")
                                .add("friendly.name", "email")
                                .add("attribute.nameformat", "Basic"))))
                .build();
        expect(201, admin("POST", "/clients", client));
    }

    /**
     * Registers a SAML client as an admin does with Keycloak's "Import client": the hub's SP metadata, converted by
     * Keycloak ({@code client-description-converter}) and created unchanged, so every setting the metadata does not
     * speak to keeps Keycloak's default.
     *
     * @return the client's attributes as Keycloak stored them
     */
    public JsonObject importSamlClient(String spMetadata) {
        HttpResponse<String> converted = send(HttpRequest.newBuilder(URI.create(direct() + "/admin/realms/" + REALM
                + "/client-description-converter"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(spMetadata)));
        expect(200, converted);
        JsonObject client = Json.createReader(new StringReader(converted.body())).readObject();
        expect(201, admin("POST", "/clients", client));
        HttpResponse<String> stored = admin("GET", "/clients?clientId=" + URLEncoder.encode(client.getString(
                "clientId"), UTF_8), null);
        expect(200, stored);
        return Json.createReader(new StringReader(stored.body())).readArray().getJsonObject(0)
                .getJsonObject("attributes");
    }

    /**
     * Registers a confidential OpenID Connect client (authorization code flow only, PKCE S256 required) whose ID
     * tokens carry the user's groups as {@code groups}.
     */
    public void registerOidcClient(String clientId, String secret, String redirectUri) {
        JsonObject client = Json.createObjectBuilder()
                .add("clientId", clientId)
                .add("name", "Hub organization (OIDC)")
                .add("protocol", "openid-connect")
                .add("enabled", true)
                .add("publicClient", false)
                .add("clientAuthenticatorType", "client-secret")
                .add("secret", secret)
                .add("standardFlowEnabled", true)
                .add("implicitFlowEnabled", false)
                .add("directAccessGrantsEnabled", false)
                .add("serviceAccountsEnabled", false)
                .add("frontchannelLogout", false)
                .add("redirectUris", Json.createArrayBuilder().add(redirectUri))
                .add("attributes", Json.createObjectBuilder().add("pkce.code.challenge.method", "S256"))
                .add("protocolMappers", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "groups")
                        .add("protocol", "openid-connect")
                        .add("protocolMapper", "oidc-group-membership-mapper")
                        .add("config", Json.createObjectBuilder()
                                .add("claim.name", "groups")
                                .add("full.path", "false")
                                .add("id.token.claim", "true")
                                .add("access.token.claim", "false")
                                .add("userinfo.token.claim", "true"))))
                .build();
        expect(201, admin("POST", "/clients", client));
    }

    /** The id of the key provider (component) of the realm's RS256 key that signs now. */
    public String activeSigningKeyProvider() {
        HttpResponse<String> res = admin("GET", "/keys", null);
        expect(200, res);
        JsonObject keys = Json.createReader(new StringReader(res.body())).readObject();
        String kid = keys.getJsonObject("active").getString("RS256");
        return keys.getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .filter(k -> kid.equals(k.getString("kid", null))).findFirst().orElseThrow()
                .getString("providerId");
    }

    /**
     * Rotates the realm's signing key as an admin does in Keycloak: a new generated RSA key with a higher priority,
     * which signs at once; the old one stays, still active until made passive.
     *
     * @return the new key provider's id
     */
    public String rotateSigningKey(int priority) {
        HttpResponse<String> realm = admin("GET", "", null);
        expect(200, realm);
        String realmId = Json.createReader(new StringReader(realm.body())).readObject().getString("id");
        JsonObject component = Json.createObjectBuilder()
                .add("name", "rsa-rotated-" + priority)
                .add("providerId", "rsa-generated")
                .add("providerType", "org.keycloak.keys.KeyProvider")
                .add("parentId", realmId)
                .add("config", Json.createObjectBuilder()
                        .add("priority", Json.createArrayBuilder().add(String.valueOf(priority)))
                        .add("enabled", Json.createArrayBuilder().add("true"))
                        .add("active", Json.createArrayBuilder().add("true"))
                        .add("algorithm", Json.createArrayBuilder().add("RS256"))
                        .add("keySize", Json.createArrayBuilder().add("2048")))
                .build();
        HttpResponse<String> res = admin("POST", "/components", component);
        expect(201, res);
        String location = res.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Makes a key provider's key passive: still published, no longer signing. */
    public void makePassive(String providerId) {
        HttpResponse<String> got = admin("GET", "/components/" + providerId, null);
        expect(200, got);
        JsonObject component = Json.createReader(new StringReader(got.body())).readObject();
        JsonObject config = Json.createObjectBuilder(component.getJsonObject("config"))
                .add("active", Json.createArrayBuilder().add("false")).build();
        expect(204, admin("PUT", "/components/" + providerId, Json.createObjectBuilder(component)
                .add("config", config).build()));
    }

    /** Removes a key provider and its key. */
    public void removeKeyProvider(String providerId) {
        expect(204, admin("DELETE", "/components/" + providerId, null));
    }

    /** Adds a user of the hub realm with a verified email and no required actions. */
    public void addUser(String username, String email, String firstName, String lastName) {
        JsonObject user = Json.createObjectBuilder()
                .add("username", username)
                .add("email", email)
                .add("emailVerified", true)
                .add("firstName", firstName)
                .add("lastName", lastName)
                .add("enabled", true)
                .add("requiredActions", Json.createArrayBuilder())
                .add("groups", Json.createArrayBuilder().add("/hub-members"))
                .add("credentials", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "password").add("value", USER_PASSWORD).add("temporary", false)))
                .build();
        expect(201, admin("POST", "/users", user));
    }

    private HttpResponse<String> admin(String method, String path, JsonStructure body) {
        return send(HttpRequest.newBuilder(URI.create(direct() + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** A token of the bootstrap admin from the master realm (admin-cli, password grant). */
    private String adminToken() {
        String form = Map.of("grant_type", "password", "client_id", "admin-cli", "username", ADMIN,
                "password", ADMIN_PASSWORD).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), UTF_8) + "=" + URLEncoder.encode(e.getValue(), UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> res = send(HttpRequest.newBuilder(
                        URI.create(direct() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        expect(200, res);
        return Json.createReader(new StringReader(res.body())).readObject().getString("access_token");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(int status, HttpResponse<String> res) {
        if (res.statusCode() != status) {
            throw new AssertionError(res.request().method() + " " + res.uri() + ": expected " + status + ", got "
                    + res.statusCode() + ": " + res.body());
        }
    }

    private String tail() {
        return LocalProcesses.tail(log, 40);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
