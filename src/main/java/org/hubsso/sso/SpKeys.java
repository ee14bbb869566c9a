package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.SqlTimes;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.SpKey.State;
import org.hubsso.sso.SpKey.Use;

/**
 * An organization's own SAML keys: one active signing and one active encryption key pair, made the first time they
 * are needed, and their rollover. A rollover first publishes a next key in the SP metadata beside the active one
 * ({@link #prepareNext}), so the IdP can learn it (its metadata refresh, or the admin); {@link #activateNext} then
 * makes it the key that signs, and the key it replaces is retired. Encryption keys, active and next, both decrypt
 * (an IdP may encrypt to either once both are published), and a retired one still does for {@link #RETIRED_DECRYPTS}.
 * Every change is audited ({@code sso.sp.key}). Private keys are sealed at rest ({@link SsoSecrets}).
 */
@ApplicationScoped
public class SpKeys {

    private static final Logger LOG = Logger.getLogger(SpKeys.class.getName());

    /** How long a replaced encryption key still decrypts: answers in flight, and IdPs that learn the next key late. */
    public static final Duration RETIRED_DECRYPTS = Duration.ofDays(7);

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    SsoSecrets secrets;

    @Inject
    HubClock clock;

    @Inject
    Audit audit;

    /** The organization's keys (retired ones while they still decrypt); an active key of each use made now if none. */
    @Transactional
    public SpKeySet of(Organization org) {
        List<SpKey> keys = read(org.getId());
        if (hasActive(keys, Use.SIGNING) && hasActive(keys, Use.ENCRYPTION)) {
            return new SpKeySet(keys);
        }
        lock(org);
        return new SpKeySet(withActiveKeys(org));
    }

    /**
     * The organization's keys, read under its lock (another node may have made some while this one waited), with an
     * active key of each use made and audited where there was none.
     */
    private List<SpKey> withActiveKeys(Organization org) {
        List<SpKey> keys = read(org.getId());
        for (Use use : Use.values()) {
            if (!hasActive(keys, use)) {
                SpKey made = insert(org, use, State.ACTIVE);
                audit.setting(org.getId(), null, AuditEvent.SSO_SP_KEY, detail("created", made));
                keys.add(made);
            }
        }
        return keys;
    }

    /** Publishes a next key of this use beside the active one; one next key at a time. */
    @Transactional
    public SpKey prepareNext(Organization org, Use use, Long actorId) {
        lock(org);
        if (withActiveKeys(org).stream().anyMatch(k -> k.use() == use && k.state() == State.NEXT)) {
            throw new ValidationException("spKeys", "A next " + use.code() + " key is published already: activate"
                    + " it once the IdP knows it.");
        }
        SpKey next = insert(org, use, State.NEXT);
        audit.setting(org.getId(), actorId, AuditEvent.SSO_SP_KEY, detail("next", next));
        return next;
    }

    /** Makes the next key of this use the active one; the active one is retired. */
    @Transactional
    public SpKey activateNext(Organization org, Use use, Long actorId) {
        lock(org);
        List<SpKey> keys = read(org.getId());
        SpKey next = keys.stream().filter(k -> k.use() == use && k.state() == State.NEXT).findFirst()
                .orElseThrow(() -> new ValidationException("spKeys", "There is no next " + use.code()
                        + " key to activate: publish one first."));
        Instant now = clock.now();
        Map<String, Object> detail = detail("activated", next);
        for (SpKey active : keys) {
            if (active.use() == use && active.state() == State.ACTIVE) {
                setState(org, active.sha256(), State.RETIRED, "retired_at", now);
                detail.put("retiredSha256", active.sha256());
            }
        }
        setState(org, next.sha256(), State.ACTIVE, "activated_at", now);
        audit.setting(org.getId(), actorId, AuditEvent.SSO_SP_KEY, detail);
        return next;
    }

    private SpKey insert(Organization org, Use use, State state) {
        Instant now = clock.now();
        SpKeyPairs.Generated made = SpKeyPairs.generate("Hub SSO " + org.getOrgUid() + " " + use.code(), now);
        SpKey key = new SpKey(IdpCertificate.sha256Fingerprint(made.certificate()), use, state, made.certificate(),
                made.keys().getPrivate(), now, state == State.ACTIVE ? now : null);
        String sealed = secrets.sealSpKey(org.getId(), key.sha256(),
                Base64.getEncoder().encodeToString(key.privateKey().getEncoded()));
        em.createNativeQuery("INSERT INTO sp_key (org_id, sha256, key_use, state, certificate, private_key,"
                + " created_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .setParameter(1, org.getId()).setParameter(2, key.sha256()).setParameter(3, use.code())
                .setParameter(4, state.code()).setParameter(5, key.certificateBase64()).setParameter(6, sealed)
                .setParameter(7, SqlTimes.at(now))
                .setParameter(8, key.activatedAt() == null ? null : SqlTimes.at(key.activatedAt()))
                .executeUpdate();
        return key;
    }

    private void setState(Organization org, String sha256, State state, String timeColumn, Instant at) {
        em.createNativeQuery("UPDATE sp_key SET state = ?, " + timeColumn + " = ? WHERE org_id = ? AND sha256 = ?")
                .setParameter(1, state.code()).setParameter(2, SqlTimes.at(at)).setParameter(3, org.getId())
                .setParameter(4, sha256).executeUpdate();
    }

    /** The keys not retired, and the retired ones that still decrypt; oldest first. */
    private List<SpKey> read(Long orgId) {
        List<SpKey> keys = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT sha256, key_use, state, certificate, private_key, created_at,"
                + " activated_at FROM sp_key WHERE org_id = ? AND (state <> 'retired' OR retired_at > ?)"
                + " ORDER BY created_at").setParameter(1, orgId)
                .setParameter(2, SqlTimes.at(clock.now().minus(RETIRED_DECRYPTS))).getResultList()) {
            Object[] r = (Object[]) row;
            String sha256 = (String) r[0];
            keys.add(new SpKey(sha256, Use.of((String) r[1]), State.of((String) r[2]), certificate((String) r[3]),
                    open(orgId, sha256, (String) r[4]), SqlTimes.instant(r[5]),
                    r[6] == null ? null : SqlTimes.instant(r[6])));
        }
        return keys;
    }

    /**
     * The private key, or {@code null} when this server's secret key does not open it: the certificate is still
     * published (nothing about it is secret), signing fails with {@code sp-key-unreadable}, decryption with it fails.
     */
    private PrivateKey open(Long orgId, String sha256, String sealed) {
        try {
            return privateKey(secrets.openSpKey(orgId, sha256, sealed));
        } catch (SecretBox.SealedValueException e) {
            LOG.warning(() -> "The SP key " + sha256 + " of organization " + orgId + " cannot be opened with this"
                    + " server's secret key: every node of a cluster must be given the same hub.secret-key.");
            return null;
        }
    }

    /** Serializes key changes of one organization across the cluster: the organization's row, locked. */
    private void lock(Organization org) {
        em.createNativeQuery("SELECT id FROM organization WHERE id = ? FOR UPDATE").setParameter(1, org.getId())
                .getResultList();
    }

    private static boolean hasActive(List<SpKey> keys, Use use) {
        return keys.stream().anyMatch(k -> k.use() == use && k.state() == State.ACTIVE);
    }

    private static Map<String, Object> detail(String action, SpKey key) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", action);
        detail.put("use", key.use().code());
        detail.put("sha256", key.sha256());
        return detail;
    }

    private static X509Certificate certificate(String base64) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored SP certificate is unreadable", e);
        }
    }

    private static PrivateKey privateKey(String pkcs8) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pkcs8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored SP key is unreadable", e);
        }
    }
}
