package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accounts and their emails. An address is an account's once it has verified it: then no other account may add or
 * verify it, and it signs in. An unverified address is a claim that blocks nobody; when one account verifies an
 * address, the other accounts' claims to it are dropped.
 */
@ApplicationScoped
@Transactional
public class AccountService {

    public static final int MAX_EMAILS = 10;

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    PasswordHasher passwords;

    @Inject
    HubClock clock;

    public Account signUp(String username, String displayName, String email, char[] password) {
        return signUp(username, displayName, email, password, () -> passwords.hash(password));
    }

    private Account signUp(String username, String displayName, String email, char[] password,
            Supplier<String> passwordHash) {
        String name = Names.requireNamespace("username", username);
        String display = Names.requireDisplayName("displayName", displayName, name);
        String address = Names.requireEmail("email", email);
        Names.requirePassword("password", password);
        if (findByUsername(name).isPresent() || orgNameTaken(name)) {
            throw new ValidationException("username", "This username is taken.");
        }
        if (verifiedOwner(address).isPresent()) {
            throw new ValidationException("email", "This email is already used by another account.");
        }
        Account account = new Account(name, display, passwordHash.get(), clock.now());
        em.persist(account);
        em.persist(new AccountEmail(account, address, false, true, clock.now()));
        return account;
    }

    /**
     * Signs in by username or verified email (an unverified address is nobody's). Empty for any failure, with no hint
     * which part was wrong.
     */
    public Optional<Account> authenticate(String login, char[] password) {
        if (password == null || password.length > Names.PASSWORD_MAX) {
            return Optional.empty();
        }
        Optional<Account> account = findByLogin(login);
        if (account.isEmpty()) {
            passwords.verifyNothing(password);
            return Optional.empty();
        }
        return passwords.verify(password, account.get().getPasswordHash()) ? account : Optional.empty();
    }

    /** The account a sign-in names: by username, or by verified email (an unverified address is nobody's). */
    public Optional<Account> findByLogin(String login) {
        if (login == null || login.length() > Names.EMAIL_MAX) {
            return Optional.empty();
        }
        String key = login.strip();
        return key.contains("@") ? verifiedOwner(key) : findByUsername(key);
    }

    public Optional<Account> find(Long id) {
        return id == null ? Optional.empty() : Optional.ofNullable(em.find(Account.class, id));
    }

    public Optional<Account> findByUsername(String username) {
        if (username == null || username.isBlank() || username.length() > Names.NAME_MAX) {
            return Optional.empty();
        }
        return em.createQuery("select a from Account a where a.usernameKey = :k", Account.class)
                .setParameter("k", username.strip().toLowerCase(Locale.ROOT)).getResultList().stream().findFirst();
    }

    /** The account that verified this address, if any: the only one that owns it. */
    public Optional<Account> verifiedOwner(String email) {
        if (email == null || email.isBlank() || email.length() > Names.EMAIL_MAX) {
            return Optional.empty();
        }
        return em.createQuery("select e.account from AccountEmail e where e.verifiedKey = :k", Account.class)
                .setParameter("k", Names.emailKey(email)).getResultList().stream().findFirst();
    }

    /** The account's verified email with this address, if any. */
    public Optional<AccountEmail> verifiedEmail(Long accountId, String email) {
        if (accountId == null || email == null) {
            return Optional.empty();
        }
        return em.createQuery("select e from AccountEmail e where e.account.id = :a and e.verifiedKey = :k",
                AccountEmail.class).setParameter("a", accountId).setParameter("k", Names.emailKey(email))
                .getResultList().stream().findFirst();
    }

    public Optional<AccountEmail> email(Long accountId, Long emailId) {
        AccountEmail email = emailId == null ? null : em.find(AccountEmail.class, emailId);
        return email != null && email.getAccount().getId().equals(accountId) ? Optional.of(email) : Optional.empty();
    }

    public List<AccountEmail> emails(Long accountId) {
        return em.createQuery("select e from AccountEmail e where e.account.id = :a order by e.id",
                AccountEmail.class).setParameter("a", accountId).getResultList();
    }

    /** Adds an unverified address (a claim) to the account. */
    public AccountEmail addEmail(Long accountId, String email) {
        Account account = find(accountId).orElseThrow(() -> new ValidationException("email", "No such account."));
        String address = Names.requireEmail("email", email);
        String key = Names.emailKey(address);
        if (emails(accountId).stream().anyMatch(e -> e.getAddressKey().equals(key))) {
            throw new ValidationException("email", "This email is already on your account.");
        }
        if (verifiedOwner(address).isPresent()) {
            throw new ValidationException("email", "This email is verified by another account.");
        }
        if (emails(accountId).size() >= MAX_EMAILS) {
            throw new ValidationException("email", "An account can have at most " + MAX_EMAILS + " emails.");
        }
        AccountEmail added = new AccountEmail(account, address, false, false, clock.now());
        em.persist(added);
        return added;
    }

    public void removeEmail(Long accountId, Long emailId) {
        AccountEmail email = ownEmail(accountId, emailId);
        if (email.isPrimary()) {
            throw new ValidationException("emails", "Make another email primary before removing this one.");
        }
        em.remove(email);
    }

    /** The primary email must be a verified one. */
    public void makePrimary(Long accountId, Long emailId) {
        AccountEmail chosen = ownEmail(accountId, emailId);
        if (!chosen.isVerified()) {
            throw new ValidationException("emails", "Verify this email before making it primary.");
        }
        for (AccountEmail e : emails(accountId)) {
            e.setPrimary(e.getId().equals(chosen.getId()));
        }
    }

    /** Another account's claim to an address, dropped because this one verified it. */
    public record DroppedClaim(Long accountId, String address) {
    }

    /**
     * Marks an email verified; the caller has proven the account controls it. The address becomes the account's: the
     * other accounts' unverified claims to it are dropped (and returned, for their security logs), and it becomes
     * the primary email when the primary was not verified.
     *
     * @throws ValidationException when another account verified the address first
     */
    public List<DroppedClaim> markVerified(Long accountId, Long emailId) {
        AccountEmail email = ownEmail(accountId, emailId);
        if (email.isVerified()) {
            return List.of();
        }
        if (verifiedOwner(email.getAddress()).isPresent()) {
            throw new ValidationException("emails", "This email was verified by another account.");
        }
        List<AccountEmail> claims = em.createQuery("select e from AccountEmail e where e.addressKey = :k"
                + " and e.account.id <> :a", AccountEmail.class).setParameter("k", email.getAddressKey())
                .setParameter("a", accountId).getResultList();
        List<DroppedClaim> dropped = new java.util.ArrayList<>();
        for (AccountEmail claim : claims) {
            dropped.add(new DroppedClaim(claim.getAccount().getId(), claim.getAddress()));
            if (claim.isPrimary()) {
                // Its account keeps a primary: another of its addresses, verified ones first.
                emails(claim.getAccount().getId()).stream().filter(e -> !e.getId().equals(claim.getId()))
                        .min(java.util.Comparator.comparing((AccountEmail e) -> !e.isVerified()))
                        .ifPresent(e -> e.setPrimary(true));
            }
            em.remove(claim);
        }
        email.setVerified(true);
        if (emails(accountId).stream().noneMatch(e -> e.isPrimary() && e.isVerified())) {
            emails(accountId).forEach(e -> e.setPrimary(e.getId().equals(email.getId())));
        }
        em.flush(); // a concurrent verification of the same address fails here, on the unique verified_key
        return dropped;
    }

    public Account createVerified(String username, String displayName, String email, char[] password,
            boolean siteAdmin) {
        return createVerified(username, displayName, email, password, () -> passwords.hash(password), siteAdmin);
    }

    /**
     * As {@link #createVerified(String, String, String, char[], boolean)}, with the hash of {@code password} from
     * {@code passwordHash} (the bootstrap derives it while the schema migrates). The password is validated as ever.
     */
    public Account createVerified(String username, String displayName, String email, char[] password,
            Supplier<String> passwordHash, boolean siteAdmin) {
        Account account = signUp(username, displayName, email, password, passwordHash);
        account.setSiteAdmin(siteAdmin);
        emails(account.getId()).forEach(e -> e.setVerified(true));
        return account;
    }

    public long count() {
        return em.createQuery("select count(a) from Account a", Long.class).getSingleResult();
    }

    private AccountEmail ownEmail(Long accountId, Long emailId) {
        AccountEmail email = emailId == null ? null : em.find(AccountEmail.class, emailId);
        if (email == null || !email.getAccount().getId().equals(accountId)) {
            throw new ValidationException("emails", "No such email on your account.");
        }
        return email;
    }

    private boolean orgNameTaken(String name) {
        return em.createQuery("select count(o) from Organization o where o.nameKey = :k", Long.class)
                .setParameter("k", name.toLowerCase(Locale.ROOT)).getSingleResult() > 0;
    }
}
