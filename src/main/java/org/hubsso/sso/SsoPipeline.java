package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Names;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.sso.SsoFailure.Reason;

/**
 * What happens after any protocol adapter (SAML or OIDC) has validated the IdP's answer, the same for both:
 * test results, the email match, the org SSO session, joining, audit, and the way back.
 */
@ApplicationScoped
public class SsoPipeline {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    AccountService accounts;

    @Inject
    SsoAudit audit;

    @Inject
    HubClock clock;

    @Transactional
    public SsoOutcome accept(Organization org, PendingRequest pending) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        Account account = accounts.find(pending.getAccountId()).orElseThrow();
        Instant now = clock.now();
        boolean ok = "OK".equals(pending.getOutcome());
        IdpIdentity identity = ok ? IdpIdentity.fromJson(pending.getIdentityJson()) : null;
        if (pending.isTestMode()) {
            return testResult(org, settings, account, pending, identity, now);
        }
        if (!ok) {
            Reason reason = Reason.valueOf(pending.getOutcome());
            return SsoOutcome.failed(400, reason, failureOf(pending).getString("detail", reason.text()));
        }
        EmailDomains domains = settings.emailDomains();
        if (!domains.allows(identity.email())) {
            audit.recordAlone(org.getId(), account.getId(), "sso.login", "failure",
                    Reason.EMAIL_DOMAIN_NOT_ALLOWED.code(), Map.of("idpSubject", identity.subject(), "idpEmail",
                            String.valueOf(identity.email()), "emailDomains", domains.toString()));
            return SsoOutcome.failed(403, Reason.EMAIL_DOMAIN_NOT_ALLOWED, "The identity provider signed you in as "
                    + identity.email() + "; " + org.getName() + " accepts only emails in " + domains + ".");
        }
        List<AccountEmail> verified = accounts.emails(account.getId()).stream().filter(AccountEmail::isVerified)
                .toList();
        boolean matches = identity.email() != null && verified.stream()
                .anyMatch(e -> Names.emailKey(e.getAddress()).equals(Names.emailKey(identity.email())));
        if (!matches) {
            audit.recordAlone(org.getId(), account.getId(), "sso.login", "failure", Reason.EMAIL_MISMATCH.code(),
                    Map.of("idpSubject", identity.subject(), "idpEmail", String.valueOf(identity.email())));
            String have = verified.isEmpty() ? "no verified email"
                    : "the verified email(s) " + String.join(", ", verified.stream().map(AccountEmail::getAddress)
                            .toList());
            return SsoOutcome.mismatch("The identity provider signed you in as " + identity.email() + " (subject "
                    + identity.subject() + "), but your hub account " + account.getUsername() + " has " + have
                    + ". Add and verify " + identity.email() + " in your account settings, or sign in to the hub"
                    + " with the account that owns it.", identity.email());
        }
        // One org SSO session per hub sign-in and organization: it belongs to the sign-in in which the IdP was passed
        // (another browser of the same member must pass the IdP itself), and a new SSO login in the same sign-in
        // replaces it (the audit trail keeps every login), so the access check reads exactly one row.
        em.createQuery("delete from OrgSsoSession s where s.orgId = :o and s.signInId = :si")
                .setParameter("o", org.getId()).setParameter("si", pending.getSignInId()).executeUpdate();
        OrgSsoSession session = new OrgSsoSession(org.getId(), account.getId(), pending.getSignInId(), now,
                now.plus(settings.getSessionTimeout()));
        session.describe(identity.issuer(), identity.subject(), identity.attributesJson());
        em.persist(session);
        List<Membership> memberships = em.createQuery("select m from Membership m where m.organization = :o"
                + " and m.account = :a", Membership.class).setParameter("o", org).setParameter("a", account)
                .getResultList();
        RoleMapping mapping = settings.roleMapping();
        Role mapped = mapping == null ? null : mapping.evaluate(identity.profileJson(), org.getDefaultRole()).getRole();
        if (memberships.isEmpty()) {
            Role role = mapped != null ? mapped : org.getDefaultRole();
            em.persist(new Membership(org, account, role, now));
            audit.record(org.getId(), account.getId(), "sso.join", "success", null,
                    Map.of("role", role.label(), "source", mapped != null ? "mapping" : "default"));
        } else if (mapped != null && memberships.get(0).getRole() != mapped) {
            Membership m = memberships.get(0);
            Role before = m.getRole();
            m.setRole(mapped);
            audit.record(org.getId(), account.getId(), "member.role", "success", null,
                    Map.of("from", before.label(), "to", mapped.label(), "source", "mapping"));
        }
        audit.record(org.getId(), account.getId(), "sso.login", "success", null,
                Map.of("protocol", identity.protocol().name(), "idpIssuer", String.valueOf(identity.issuer()),
                        "idpSubject", identity.subject(), "idpEmail", String.valueOf(identity.email()),
                        "skewMillis", identity.skewMillis()));
        return SsoOutcome.redirect(pending.getReturnTo());
    }

    private SsoOutcome testResult(Organization org, OrgSsoSettings settings, Account account, PendingRequest pending,
            IdpIdentity identity, Instant now) {
        SsoTestResult result;
        if (identity != null) {
            result = SsoTestResult.passed(org.getId(), account.getId(), pending.getConfigVersion(), identity, now);
        } else {
            JsonObject failure = failureOf(pending);
            Reason reason = Reason.valueOf(pending.getOutcome());
            long skew = failure.containsKey("skewMillis") ? failure.getJsonNumber("skewMillis").longValue() : 0;
            result = SsoTestResult.failed(org.getId(), account.getId(), pending.getConfigVersion(), reason,
                    failure.getString("detail", reason.text()), skew, now);
        }
        em.persist(result);
        if (identity != null) {
            // A failed test was audited once, when the IdP's answer was refused (SsoService.rejected).
            audit.recordAbout(org.getId(), account.getId(), null, "sso.test", "success", null,
                    Map.of("configVersion", pending.getConfigVersion(), "idpEmail", String.valueOf(identity.email())));
        }
        return SsoOutcome.redirect("/organizations/" + org.getName() + "/settings/sso?tested=1");
    }

    /** The failed check an answer left on its pending request ({@link SsoService#failureJson}). */
    private static JsonObject failureOf(PendingRequest pending) {
        return Jsonp.JSON.createReader(new StringReader(pending.getIdentityJson())).readObject();
    }
}
