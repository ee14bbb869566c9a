package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * First start on an empty database: creates the bootstrap site admin and, when {@code hub.demo} is on, a
 * sample organization with a public and a private repository. Does nothing once any account exists.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class.getName());
    static final String PASSWORD_FILE = "initial-admin-password";

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    AccountService accounts;

    @Inject
    HubClock clock;

    @Inject
    PasswordHasher passwords;

    @Inject
    Event<OrganizationCreated> created;

    @Inject
    @ConfigProperty(name = "hub.bootstrap.admin.username", defaultValue = "admin")
    String adminUsername;

    @Inject
    @ConfigProperty(name = "hub.bootstrap.admin.email", defaultValue = "admin@hub.localhost")
    String adminEmail;

    @Inject
    @ConfigProperty(name = "hub.bootstrap.admin.password")
    Optional<String> adminPassword;

    @Inject
    @ConfigProperty(name = "hub.demo", defaultValue = "true")
    boolean demo;

    @Inject
    @ConfigProperty(name = "hub.data.dir", defaultValue = "./hub-data")
    String dataDir;

    /**
     * The first admin's password and its hash, started on {@code executor} so that the 210,000-round derivation
     * runs while the schema is migrated instead of after it. Called only when the database has no schema yet; the
     * admin is still created by {@link #run(Prepared)}, in the transaction that checks no account exists.
     */
    public Prepared prepare(ExecutorService executor) {
        return chosen(password -> executor.submit(() -> passwords.hash(password)));
    }

    /** The configured password, or a generated one, with its hash as {@code hashing} derives it. */
    private Prepared chosen(Function<char[], Future<String>> hashing) {
        char[] password = configuredPassword();
        boolean generated = password == null;
        if (generated) {
            password = generatePassword();
        }
        return new Prepared(password, generated, hashing.apply(password));
    }

    /** The admin's password, whether it was generated, and its hash being derived. */
    public record Prepared(char[] password, boolean generated, Future<String> hash) {
    }

    @Transactional
    public void run() {
        run(null);
    }

    /** As {@link #run()}, using the password and hash of {@code prepared} when it is not null. */
    @Transactional
    public void run(Prepared prepared) {
        if (accounts.count() > 0) {
            if (prepared != null) {
                prepared.hash().cancel(true);
            }
            return;
        }
        Prepared chosen = prepared != null ? prepared
                : chosen(password -> CompletableFuture.completedFuture(passwords.hash(password)));
        char[] password = chosen.password();
        boolean generated = chosen.generated();
        Account admin = accounts.createVerified(adminUsername, "Hub Admin", adminEmail, password,
                () -> await(chosen.hash()), true);
        if (generated) {
            Path file = writePasswordFile(password);
            LOG.warning(() -> "Created the bootstrap admin '" + adminUsername + "'. Its generated password is in "
                    + file.toAbsolutePath().normalize() + " (readable by this user only); delete the file after"
                    + " signing in.");
        } else {
            LOG.info(() -> "Created the bootstrap admin '" + adminUsername + "' with the configured password.");
        }
        if (demo) {
            seedDemo(admin);
        }
    }

    private char[] configuredPassword() {
        return adminPassword.filter(p -> !p.isBlank()).map(String::toCharArray).orElse(null);
    }

    private static String await(Future<String> hash) {
        try {
            return hash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while hashing the bootstrap admin's password", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot hash the bootstrap admin's password", e.getCause());
        }
    }

    private void seedDemo(Account admin) {
        Organization acme = new Organization("acme", Organization.newUid(), "ACME Research", Role.READ,
                clock.now());
        em.persist(acme);
        created.fire(new OrganizationCreated(acme));
        em.persist(new Membership(acme, admin, Role.ADMIN, clock.now()));
        em.persist(new Repo(acme, RepoKind.MODEL, "tiny-bert", Visibility.PUBLIC,
                "# tiny-bert\n\nA 4-layer BERT distilled for on-device intent classification.\n"
                        + "Public: everyone can see this model card.", admin, clock.now()));
        em.persist(new Repo(acme, RepoKind.DATASET, "internal-eval", Visibility.PRIVATE,
                "# internal-eval\n\nHeld-out evaluation prompts. Private: members of acme only.", admin,
                clock.now()));
        LOG.info("Created the demo organization 'acme' with a public model and a private dataset (hub.demo=true).");
    }

    private Path writePasswordFile(char[] password) {
        Path dir = Path.of(dataDir);
        Path file = dir.resolve(PASSWORD_FILE);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, new String(password) + System.lineSeparator(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the bootstrap admin password file in " + dir
                    + "; set hub.bootstrap.admin.password or make the data directory writable", e);
        }
    }

    private static char[] generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
