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

/** Accounts and their emails. */
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
        if (emailTaken(address)) {
            throw new ValidationException("email", "This email is already used by another account.");
        }
        Account account = new Account(name, display, passwordHash.get(), clock.now());
        em.persist(account);
        em.persist(new AccountEmail(account, address, false, true, clock.now()));
        return account;
    }

    /** Signs in by username or email. Empty for any failure, with no hint which part was wrong. */
    public Optional<Account> authenticate(String login, char[] password) {
        if (login == null || password == null || login.length() > Names.EMAIL_MAX
                || password.length > Names.PASSWORD_MAX) {
            return Optional.empty();
        }
        String key = login.strip();
        Optional<Account> account = key.contains("@") ? findByEmail(key) : findByUsername(key);
        if (account.isEmpty()) {
            passwords.verifyNothing(password);
            return Optional.empty();
        }
        return passwords.verify(password, account.get().getPasswordHash()) ? account : Optional.empty();
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

    public Optional<Account> findByEmail(String email) {
        return em.createQuery("select e.account from AccountEmail e where e.addressKey = :k", Account.class)
                .setParameter("k", Names.emailKey(email)).getResultList().stream().findFirst();
    }

    public List<AccountEmail> emails(Long accountId) {
        return em.createQuery("select e from AccountEmail e where e.account.id = :a order by e.id",
                AccountEmail.class).setParameter("a", accountId).getResultList();
    }

    public AccountEmail addEmail(Long accountId, String email) {
        Account account = find(accountId).orElseThrow(() -> new ValidationException("email", "No such account."));
        String address = Names.requireEmail("email", email);
        if (emailTaken(address)) {
            throw new ValidationException("email", "This email is already used by an account.");
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

    public void makePrimary(Long accountId, Long emailId) {
        AccountEmail chosen = ownEmail(accountId, emailId);
        for (AccountEmail e : emails(accountId)) {
            e.setPrimary(e.getId().equals(chosen.getId()));
        }
    }

    /** Marks an email verified; the caller has proven the account controls it. */
    public void markVerified(Long accountId, Long emailId) {
        ownEmail(accountId, emailId).setVerified(true);
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

    private boolean emailTaken(String address) {
        return em.createQuery("select count(e) from AccountEmail e where e.addressKey = :k", Long.class)
                .setParameter("k", Names.emailKey(address)).getSingleResult() > 0;
    }

    private boolean orgNameTaken(String name) {
        return em.createQuery("select count(o) from Organization o where o.nameKey = :k", Long.class)
                .setParameter("k", name.toLowerCase(Locale.ROOT)).getSingleResult() > 0;
    }
}
