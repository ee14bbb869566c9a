package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.hub.Account;
import org.hubsso.hub.AccountEmail;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Membership;
import org.hubsso.hub.Memberships;
import org.hubsso.hub.Paths;
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
    Memberships memberships;

    @Inject
    SsoConfigs configs;

    @Inject
    SsoTests tests;

    @Inject
    SsoSessions sessions;

    @Inject
    Audit audit;

    @Inject
    HubClock clock;

    /** The answered sign-in, back in the browser that started it. */
    @Transactional
    public SsoOutcome accept(Organization org, PendingRequest pending) {
        OrgSsoSettings settings = configs.settingsOf(org);
        Account account = accounts.find(pending.getAccountId()).orElseThrow();
        Instant now = clock.now();
        if (pending.isTestMode()) {
            return testResult(org, account, pending, now);
        }
        if (pending.getOutcome() == PendingRequest.Answer.REFUSED) {
            SsoFailure failure = pending.failure();
            return SsoOutcome.failed(400, failure.reason(), failure.detail());
        }
        IdpIdentity identity = pending.identity();
        EmailDomains domains = settings.emailDomains();
        if (!domains.allows(identity.email())) {
            audit.recordAlone(org.getId(), account.getId(), AuditEvent.SSO_LOGIN, AuditEvent.Outcome.FAILURE,
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
            audit.recordAlone(org.getId(), account.getId(), AuditEvent.SSO_LOGIN, AuditEvent.Outcome.FAILURE,
                    Reason.EMAIL_MISMATCH.code(), Map.of("idpSubject", identity.subject(), "idpEmail", String.valueOf(identity.email())));
            String have = verified.isEmpty() ? "no verified email"
                    : "the verified email(s) " + String.join(", ", verified.stream().map(AccountEmail::getAddress)
                            .toList());
            return SsoOutcome.mismatch("The identity provider signed you in as " + identity.email() + " (subject "
                    + identity.subject() + "), but your hub account " + account.getUsername() + " has " + have
                    + ". Add and verify " + identity.email() + " in your account settings, or sign in to the hub"
                    + " with the account that owns it.", identity.email());
        }
        RoleMapping mapping = settings.roleMapping();
        boolean overage = mapping != null && RoleMapping.groupsOverage(identity.profileJson());
        if (overage && !settings.isOverageDefaultRole()) {
            audit.recordAlone(org.getId(), account.getId(), AuditEvent.SSO_LOGIN, AuditEvent.Outcome.FAILURE,
                    Reason.GROUPS_OVERAGE.code(), Map.of("idpSubject", identity.subject(), "idpEmail",
                            String.valueOf(identity.email())));
            return SsoOutcome.failed(403, Reason.GROUPS_OVERAGE, "Your identity provider sent a reference to your"
                    + " groups instead of the groups themselves (you are in more groups than fit in a sign-in), so "
                    + org.getName() + " cannot tell your role from them. An admin can have the IdP send only the"
                    + " groups assigned to the application, or map roles from another claim.");
        }
        sessions.open(org, account.getId(), pending.getSignInId(), identity, now, now.plus(settings.getSessionTimeout()));
        Optional<Membership> membership = memberships.of(org, account.getId());
        // A groups overage, where the organization chose so: the default role, never one from groups left out.
        Role mapped = mapping == null ? null : overage ? org.getDefaultRole()
                : mapping.evaluate(identity.profileJson(), org.getDefaultRole()).getRole();
        String source = overage ? "groups-overage" : "mapping";
        if (membership.isEmpty()) {
            Role role = mapped != null ? mapped : org.getDefaultRole();
            em.persist(new Membership(org, account, role, now));
            audit.success(org.getId(), account.getId(), AuditEvent.SSO_JOIN,
                    Map.of("role", role.label(), "source", mapped != null ? source : "default"));
        } else if (mapped != null && membership.get().getRole() != mapped) {
            Membership m = membership.get();
            Role before = m.getRole();
            m.setRole(mapped);
            audit.success(org.getId(), account.getId(), AuditEvent.MEMBER_ROLE,
                    Map.of("from", before.label(), "to", mapped.label(), "source", source));
        }
        audit.success(org.getId(), account.getId(), AuditEvent.SSO_LOGIN,
                Map.of("protocol", identity.protocol().name(), "idpIssuer", String.valueOf(identity.issuer()),
                        "idpSubject", identity.subject(), "idpEmail", String.valueOf(identity.email()),
                        "skewMillis", identity.skewMillis()));
        return SsoOutcome.redirect(pending.getReturnTo());
    }

    /**
     * An admin's "Update and Test": its result is kept for the settings page; the audit trail gets a passed test
     * here (a failed one was audited once, when the IdP's answer was refused).
     */
    private SsoOutcome testResult(Organization org, Account account, PendingRequest pending, Instant now) {
        if (pending.getOutcome() == PendingRequest.Answer.REFUSED) {
            SsoFailure failure = pending.failure();
            tests.add(SsoTestResult.failed(org.getId(), account.getId(), pending.getConfigVersion(), failure.reason(),
                    failure.detail(), failure.skewMillis() == null ? 0 : failure.skewMillis(), now));
        } else {
            IdpIdentity identity = pending.identity();
            tests.add(SsoTestResult.passed(org.getId(), account.getId(), pending.getConfigVersion(), identity, now));
            audit.setting(org.getId(), account.getId(), AuditEvent.SSO_TEST, Map.of("configVersion",
                    pending.getConfigVersion(), "idpEmail", String.valueOf(identity.email())));
        }
        return SsoOutcome.redirect(Paths.ssoSettings(org.getName()) + "?tested=1");
    }
}
