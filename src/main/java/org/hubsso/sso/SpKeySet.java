package org.hubsso.sso;

import java.security.PrivateKey;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hubsso.sso.SpKey.State;
import org.hubsso.sso.SpKey.Use;

/** An organization's SP keys as read at one moment: which signs, which are published, which decrypt. */
public record SpKeySet(List<SpKey> keys) {

    public SpKeySet {
        keys = List.copyOf(keys);
    }

    /** The key that signs (or, for encryption, the one an IdP is asked to encrypt to first). */
    public SpKey active(Use use) {
        return keys.stream().filter(k -> k.use() == use && k.state() == State.ACTIVE).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active " + use.code() + " key"));
    }

    public Optional<SpKey> next(Use use) {
        return keys.stream().filter(k -> k.use() == use && k.state() == State.NEXT).findFirst();
    }

    /** What the SP metadata lists for this use: the active key, then the next one. */
    public List<SpKey> published(Use use) {
        return keys.stream().filter(k -> k.use() == use && k.state() != State.RETIRED)
                .sorted(Comparator.comparing(SpKey::state)).toList();
    }

    /** Every private key an encrypted assertion may have been encrypted to: active, next, recently retired. */
    public List<PrivateKey> decryptionKeys() {
        return keys.stream().filter(k -> k.use() == Use.ENCRYPTION)
                .sorted(Comparator.comparing(SpKey::state))
                .map(SpKey::privateKey).filter(Objects::nonNull).toList();
    }
}
