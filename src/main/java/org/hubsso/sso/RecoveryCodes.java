package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.Role;
import org.hubsso.hub.Throttle;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;

/**
 * Break-glass recovery codes per organization. When SSO is enabled the enabling admin is shown {@value #COUNT}
 * single-use codes (only their SHA-256 is stored); an admin may make a new set at any time, which voids the old one.
 * A code, entered by an admin of the organization, gives that admin a short session (default 1 hour,
 * {@code hub.sso.recovery.session}) bound to this hub sign-in, which reaches the organization's settings only, not its
 * content, so that a broken or rotated IdP configuration can be repaired or SSO disabled. Every use (and every wrong
 * code) is audited, a use is mailed to every admin, and guessing is throttled per admin and per organization.
 */
@ApplicationScoped
public class RecoveryCodes {

    public static final int COUNT = 10;
    /** Codes an admin may try per {@link #WINDOW}, and all accounts together per organization. */
    static final int PER_ACCOUNT = 10;
    static final int PER_ORG = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    @Inject
    Organizations organizations;

    @Inject
    Memberships memberships;

    @Inject
    AccountService accounts;

    @Inject
    OrgContexts contexts;

    @Inject
    Viewer viewer;

    @Inject
    Audit audit;

    @Inject
    Throttle throttle;

    @Inject
    OrgAdminMail adminMail;

    @Inject
    @ConfigProperty(name = "hub.sso.recovery.session", defaultValue = "PT1H")
    String sessionLength;

    /** A new set for the organization's settings page: the old codes stop working. Shown once. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    @Transactional
    public List<String> regenerate(@OrgName String orgName) {
        return generate(contexts.guarded(orgName).org(), viewer.getAccountId());
    }

    /** How many codes of the current set are unused. */
    @OrgAccess(value = Role.ADMIN, scope = Scope.MEMBERS)
    @Transactional
    public long remaining(@OrgName String orgName) {
        return remaining(contexts.guarded(orgName).org());
    }

    /**
     * A new set of codes, in the caller's transaction; the unused ones of the old set stop working. Audited; the codes
     * are never stored.
     */
    List<String> generate(Organization org, Long actorId) {
        em.createQuery("delete from RecoveryCode c where c.orgId = :o and c.usedAt is null")
                .setParameter("o", org.getId()).executeUpdate();
        Instant now = clock.now();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String code = newCode();
            codes.add(code);
            em.persist(new RecoveryCode(org.getId(), hash(code), actorId, now));
        }
        audit.setting(org.getId(), actorId, AuditEvent.SSO_RECOVERY_CODES, Map.of("generated", COUNT));
        return codes;
    }

    /**
     * An admin of the organization enters a code in hub sign-in {@code signInId}.
     *
     * @return until when the recovery session lasts
     * @throws ValidationException for a wrong or used code, or an account that is not an admin (audited)
     * @throws TooManyAttemptsException when this admin, or the organization, had too many wrong codes lately
     */
    @Transactional
    public Instant use(String orgName, Long accountId, String signInId, String code) {
        Organization org = organizations.byName(orgName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
        if (!throttle.attempt("recovery:" + org.getId() + ":" + accountId, PER_ACCOUNT, WINDOW)
                || !throttle.attempt("recovery-org:" + org.getId(), PER_ORG, WINDOW)) {
            audit.recordAlone(org.getId(), accountId, AuditEvent.SSO_RECOVERY_USE, AuditEvent.Outcome.FAILURE,
                    "throttled", null);
            throw new TooManyAttemptsException("Too many recovery codes were tried lately. Wait "
                    + WINDOW.toMinutes() + " minutes, then try again.");
        }
        if (memberships.roleOf(org, accountId).orElse(null) != Role.ADMIN) {
            audit.recordAlone(org.getId(), accountId, AuditEvent.SSO_RECOVERY_USE, AuditEvent.Outcome.FAILURE,
                    "not-an-admin", null);
            throw new ValidationException("code", "Recovery codes are for the admins of " + org.getName() + ".");
        }
        Instant now = clock.now();
        int used = code == null || code.isBlank() || code.length() > 40 ? 0 : em.createQuery("update RecoveryCode c"
                + " set c.usedAt = :now, c.usedBy = :a where c.orgId = :o and c.codeHash = :h and c.usedAt is null")
                .setParameter("now", now).setParameter("a", accountId).setParameter("o", org.getId())
                .setParameter("h", hash(code)).executeUpdate();
        if (used != 1) {
            audit.recordAlone(org.getId(), accountId, AuditEvent.SSO_RECOVERY_USE, AuditEvent.Outcome.FAILURE,
                    "invalid-code", null);
            throw new ValidationException("code", "This is not a recovery code of " + org.getName()
                    + ", or it was used already.");
        }
        Instant expires = now.plus(Duration.parse(sessionLength));
        em.persist(new RecoverySession(org.getId(), accountId, signInId, now, expires));
        long left = remaining(org);
        audit.success(org.getId(), accountId, AuditEvent.SSO_RECOVERY_USE, Map.of("codesLeft", left,
                "sessionUntil", expires.toString()));
        String who = accounts.find(accountId).map(Account::getUsername).orElse("an admin");
        adminMail.send(org, "A recovery code of " + org.getName() + " was used", who + " used a recovery code of "
                + org.getName() + " at " + now + ". It opens the organization's settings (not its content) until "
                + expires + ", to repair single sign-on. " + left + " unused codes remain.\n\nIf nobody of you"
                + " expected this, make a new set of codes on the single sign-on settings page and read the"
                + " organization's audit log.");
        return expires;
    }

    long remaining(Organization org) {
        return em.createQuery("select count(c) from RecoveryCode c where c.orgId = :o and c.usedAt is null",
                Long.class).setParameter("o", org.getId()).getSingleResult();
    }

    /** Ten characters from an alphabet without look-alikes, as {@code xxxxx-xxxxx}: 50 bits. */
    private static String newCode() {
        StringBuilder b = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                b.append('-');
            }
            b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }

    /** The SHA-256 of a code as typed: case, spaces and dashes do not matter. */
    static String hash(String code) {
        String normal = code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
