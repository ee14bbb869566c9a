package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The hub's secret key for sealing SSO secrets at rest: {@code hub.secret-key} (base64 of 32 random bytes; every
 * node of a cluster needs the same), or else a key generated once into {@code ${hub.data.dir}/secret-key}
 * (owner-only), which suits a single node.
 */
@ApplicationScoped
public class SsoSecrets {

    private static final Logger LOG = Logger.getLogger(SsoSecrets.class.getName());
    static final String KEY_FILE = "secret-key";

    @Inject
    @ConfigProperty(name = "hub.secret-key")
    Optional<String> configuredKey;

    @Inject
    @ConfigProperty(name = "hub.data.dir", defaultValue = "./hub-data")
    String dataDir;

    private volatile SecretBox box;

    public String sealOidcSecret(Long orgId, String secret) {
        return box().seal(secret, place(orgId));
    }

    /** @throws SecretBox.SealedValueException when this server's key does not open it */
    public String openOidcSecret(Long orgId, String sealed) {
        return box().open(sealed, place(orgId));
    }

    /** The PKCE code verifier of an OIDC sign-in in flight, bound to its pending request. */
    String sealCodeVerifier(String requestId, String verifier) {
        return box().seal(verifier, "pending:" + requestId + ":pkce-verifier");
    }

    /** @throws SecretBox.SealedValueException when this server's key does not open it */
    String openCodeVerifier(String requestId, String sealed) {
        return box().open(sealed, "pending:" + requestId + ":pkce-verifier");
    }

    /** An organization's SP private key (PKCS#8, base64), bound to the organization and the key's fingerprint. */
    String sealSpKey(Long orgId, String sha256, String pkcs8) {
        return box().seal(pkcs8, spKeyPlace(orgId, sha256));
    }

    /** @throws SecretBox.SealedValueException when this server's key does not open it */
    String openSpKey(Long orgId, String sha256, String sealed) {
        return box().open(sealed, spKeyPlace(orgId, sha256));
    }

    private static String spKeyPlace(Long orgId, String sha256) {
        return "org:" + orgId + ":sp-key:" + sha256;
    }

    private static String place(Long orgId) {
        return "org:" + orgId + ":oidc-client-secret";
    }

    private SecretBox box() {
        SecretBox b = box;
        if (b == null) {
            synchronized (this) {
                if (box == null) {
                    box = new SecretBox(loadKey());
                }
                b = box;
            }
        }
        return b;
    }

    private byte[] loadKey() {
        if (configuredKey.isPresent() && !configuredKey.get().isBlank()) {
            return decode(configuredKey.get(), "hub.secret-key");
        }
        Path file = Path.of(dataDir).resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(SecretBox.newKey()),
                            StandardCharsets.US_ASCII);
                    LOG.info("Generated the secret key for SSO secrets in " + file
                            + "; in a cluster, set hub.secret-key to the same value on every node instead.");
                } catch (FileAlreadyExistsException raced) {
                    // another thread or process made it first: read theirs
                } catch (UnsupportedOperationException notPosix) {
                    Files.writeString(file, Base64.getEncoder().encodeToString(SecretBox.newKey()),
                            StandardCharsets.US_ASCII);
                }
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the secret key file " + file
                    + "; set hub.secret-key or make the data directory writable", e);
        }
    }

    private static byte[] decode(String base64, String where) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.strip());
            if (key.length == SecretBox.KEY_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below, without the value
        }
        throw new IllegalStateException(where + " must be the base64 encoding of " + SecretBox.KEY_BYTES
                + " random bytes (e.g. openssl rand -base64 32)");
    }
}
