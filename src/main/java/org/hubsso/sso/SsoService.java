package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgContext;
import org.hubsso.access.OrgContexts;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Role;
import org.hubsso.hub.Visibility;
import org.hubsso.sso.SsoFailure.Reason;
import org.hubsso.sso.oidc.OrgOidcClient;

/**
 * The SP-initiated SSO flow of an organization, in three steps that may run on different cluster nodes:
 * {@link #begin} (a pending request bound to the account and browser session; the caller's pac4j client then
 * redirects to the IdP; an OIDC sign-in's nonce and PKCE verifier are kept with it by {@link #keepOidcFlow} and
 * taken back once at the callback by {@link #takeOidcFlow}), {@link #accepted} or {@link #rejected} (the IdP's
 * answer at the ACS or callback, validated by the client and attached to its pending request), and
 * {@link #complete} (back in the browser session that started it: the shared pipeline).
 */
@ApplicationScoped
public class SsoService {

    private static final Logger LOG = Logger.getLogger(SsoService.class.getName());
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    OrgContexts contexts;

    @Inject
    ReplayCache replay;

    @Inject
    SsoAudit audit;

    @Inject
    SsoPipeline pipeline;

    @Inject
    HubClock clock;

    @Inject
    SsoMetrics metrics;

    @Inject
    SsoSecrets secrets;

    /**
     * A started sign-in: the pending request is stored; the caller sends the browser to the IdP with it, by the
     * configuration it was started with.
     */
    public record Begun(Organization org, IdpConfig config, String requestId) {
    }

    /** An organization whose ACS or callback was reached, with its SSO settings. */
    public record Target(Organization org, OrgSsoSettings settings) {
    }

    /**
     * @param signInId the hub sign-in starting it: only this sign-in can complete it and get the SSO session
     * @param testMode an admin's "Update and Test" round-trip: tries the draft (or, without one, the live
     *        configuration) and changes nothing but the test result
     */
    @Transactional
    public Begun begin(String orgName, Long accountId, String signInId, String returnTo, boolean testMode) {
        Organization org = contexts.findOrg(orgName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (testMode) {
            OrgContext ctx = contexts.of(org, accountId, signInId);
            Decision decision = ctx.decide(Visibility.PRIVATE, Role.ADMIN);
            if (decision != Decision.ALLOW) {
                throw new AccessDeniedException(decision, org.getName());
            }
        }
        if (settings == null || (!testMode && !settings.isEnabled())) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgName);
        }
        SsoDraft draft = testMode ? em.find(SsoDraft.class, org.getId()) : null;
        IdpConfig config = draft != null ? draft.config() : settings.config();
        if (!config.isComplete()) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgName);
        }
        Instant now = clock.now();
        String requestId = "_" + HexFormat.of().formatHex(random(20));
        em.persist(new PendingRequest(requestId, org.getId(), accountId, signInId, config.protocol(),
                config.version(), testMode, returnTo, now, now.plus(PENDING_LIFETIME)));
        return new Begun(org, config, requestId);
    }

    /**
     * The configuration to check an answer with: the one the sign-in it claims to answer was started with. A member's
     * sign-in is checked with the live configuration; an admin's test with the very configuration under test (a
     * draft, or the live one). An answer to no known sign-in is checked with the live one, and then refused as such.
     *
     * @param claimedRequest the request id the answer claims (unverified: it only selects what to check with)
     * @throws SsoFailure when the configuration under test is gone (applied under its number stays found)
     */
    @Transactional
    public IdpConfig configFor(Organization org, String claimedRequest) throws SsoFailure {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        IdpConfig live = settings.config();
        Optional<PendingRequest> pending = pendingFor(org, claimedRequest, clock.now());
        if (pending.isEmpty() || !pending.get().isTestMode() || pending.get().getConfigVersion() == live.version()) {
            return live;
        }
        SsoDraft draft = em.find(SsoDraft.class, org.getId());
        if (draft != null && draft.getVersion() == pending.get().getConfigVersion()) {
            return draft.config();
        }
        throw new SsoFailure(Reason.CONFIGURATION_CHANGED, "Configuration " + pending.get().getConfigVersion()
                + " was tested; it is no longer the live configuration or the draft.").answering(claimedRequest);
    }

    /**
     * Keeps an OpenID Connect sign-in's flow (nonce and sealed PKCE verifier; its state is the request id) with its
     * pending request until the IdP sends the browser back, to whichever node. A hub sign-in has one OIDC sign-in in
     * progress per organization, as it would in its HTTP session: an earlier one's flow is dropped.
     */
    @Transactional
    public void keepOidcFlow(Organization org, String signInId, OrgOidcClient.Flow flow) {
        em.createQuery("update PendingRequest p set p.oidcNonce = null, p.oidcCodeVerifier = null"
                + " where p.orgId = :org and p.signInId = :signIn and p.oidcNonce is not null")
                .setParameter("org", org.getId()).setParameter("signIn", signInId).executeUpdate();
        em.createQuery("update PendingRequest p set p.oidcNonce = :nonce, p.oidcCodeVerifier = :verifier"
                + " where p.requestId = :id and p.answeredAt is null")
                .setParameter("nonce", flow.nonce())
                .setParameter("verifier", secrets.sealCodeVerifier(flow.requestId(), flow.codeVerifier()))
                .setParameter("id", flow.requestId()).executeUpdate();
    }

    /**
     * The OpenID Connect sign-in this hub sign-in has in progress for the organization, taken for one callback:
     * whatever the callback then finds, its nonce and verifier are gone (a replayed callback finds nothing).
     */
    @Transactional
    public Optional<OrgOidcClient.Flow> takeOidcFlow(Organization org, String signInId) {
        if (signInId == null) {
            return Optional.empty();
        }
        List<PendingRequest> live = em.createQuery("select p from PendingRequest p where p.orgId = :org"
                + " and p.signInId = :signIn and p.protocol = :oidc and p.oidcNonce is not null"
                + " and p.answeredAt is null and p.expiresAt > :now order by p.createdAt desc", PendingRequest.class)
                .setParameter("org", org.getId()).setParameter("signIn", signInId)
                .setParameter("oidc", SsoProtocol.OIDC).setParameter("now", clock.now())
                .setMaxResults(1).getResultList();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        PendingRequest p = live.get(0);
        String nonce = p.getOidcNonce();
        String sealed = p.getOidcCodeVerifier();
        int taken = em.createQuery("update PendingRequest p set p.oidcNonce = null, p.oidcCodeVerifier = null"
                + " where p.requestId = :id and p.oidcNonce is not null")
                .setParameter("id", p.getRequestId()).executeUpdate();
        if (taken != 1) {
            return Optional.empty(); // a concurrent callback took it
        }
        try {
            return Optional.of(new OrgOidcClient.Flow(p.getRequestId(), nonce,
                    secrets.openCodeVerifier(p.getRequestId(), sealed)));
        } catch (SecretBox.SealedValueException e) {
            LOG.warning("The PKCE verifier of sign-in " + p.getRequestId() + " was sealed with another secret key:"
                    + " every node of a cluster needs the same hub.secret-key");
            return Optional.empty();
        }
    }

    /** The organization with this Organization ID, when it has SSO configured (live, or as a draft under test). */
    @Transactional
    public Target target(String orgUid) {
        Organization org = byUid(orgUid).orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgUid));
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (settings == null || !(settings.isConfigured() || em.find(SsoDraft.class, org.getId()) != null)) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgUid);
        }
        return new Target(org, settings);
    }

    /**
     * A validated answer of any protocol: accepted once, for a pending request of this organization and protocol,
     * never replayed.
     *
     * @param requestId the pending request it answers (SAML InResponseTo, OIDC state)
     * @param replayId the answer's identifier in the replay cache, kept until {@code keepUntil}
     */
    @Transactional
    public SsoOutcome accepted(Organization org, SsoProtocol protocol, String requestId, String replayId,
            Instant keepUntil, IdpIdentity identity) {
        Instant now = clock.now();
        try {
            PendingRequest pending = pendingFor(org, requestId, now).filter(p -> p.getProtocol() == protocol)
                    .orElseThrow(() -> new SsoFailure(Reason.IN_RESPONSE_TO_UNKNOWN, "No pending sign-in "
                            + requestId + ".").answering(requestId));
            if (!replay.firstUse(org.getId(), replayId, keepUntil)) {
                throw new SsoFailure(Reason.REPLAYED, "Answer " + replayId + " was used before.")
                        .answering(requestId);
            }
            answered(pending, "OK", identity.toJson(), now);
            return SsoOutcome.redirect(completeUrl(org, pending));
        } catch (SsoFailure failure) {
            return rejected(org, failure);
        }
    }

    /**
     * A failed answer: audited once, as the sign-in it answers (a member's login, or an admin's test, by that
     * account) when that is known, else as an answer nobody signed in asked for; shown in the browser session that
     * started it when it can be found.
     */
    @Transactional
    public SsoOutcome rejected(Organization org, SsoFailure failure) {
        Instant now = clock.now();
        metrics.rejected(failure.reason());
        Optional<PendingRequest> pending = failure.inResponseTo() == null ? Optional.empty()
                : pendingFor(org, failure.inResponseTo(), now);
        Map<String, Object> detail = new java.util.LinkedHashMap<>(failureDetail(failure));
        pending.filter(PendingRequest::isTestMode).ifPresent(p -> detail.put("configVersion", p.getConfigVersion()));
        audit.recordAlone(org.getId(), pending.map(PendingRequest::getAccountId).orElse(null),
                pending.filter(PendingRequest::isTestMode).isPresent() ? "sso.test" : "sso.login", "failure",
                failure.reason().code(), detail);
        if (pending.isPresent()) {
            try {
                answered(pending.get(), failure.reason().name(), failureJson(failure), now);
                return SsoOutcome.redirect(completeUrl(org, pending.get()));
            } catch (SsoFailure raced) {
                // answered by a concurrent request in the meantime: report this failure here
            }
        }
        return SsoOutcome.failed(400, failure.reason(), failure.detail());
    }

    /** Back in the hub sign-in (the browser) that started the sign-in. */
    @Transactional
    public SsoOutcome complete(String orgName, String requestId, Long accountId, String signInId) {
        Organization org = contexts.findOrg(orgName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
        PendingRequest pending = requestId == null || requestId.length() > 64 ? null
                : em.find(PendingRequest.class, requestId);
        Instant now = clock.now();
        if (pending == null || !pending.getOrgId().equals(org.getId()) || pending.getAnsweredAt() == null
                || pending.getCompletedAt() != null || accountId == null || !accountId.equals(pending.getAccountId())
                || !pending.getSignInId().equals(signInId)) {
            audit.recordAlone(org.getId(), accountId, "sso.login", "failure", Reason.SESSION_MISMATCH.code(), null);
            return SsoOutcome.failed(400, Reason.SESSION_MISMATCH, "Start the sign-in again from the organization's"
                    + " page in this browser.");
        }
        int updated = em.createQuery("update PendingRequest p set p.completedAt = :now where p.requestId = :id"
                + " and p.completedAt is null").setParameter("now", now).setParameter("id", requestId).executeUpdate();
        if (updated != 1) {
            return SsoOutcome.failed(400, Reason.SESSION_MISMATCH, "This sign-in was already completed.");
        }
        SsoOutcome outcome = pipeline.accept(org, pending);
        metrics.completed(org, pending, outcome, clock.now());
        return outcome;
    }

    @Transactional
    public Optional<Organization> orgByUid(String orgUid) {
        return byUid(orgUid);
    }

    private Optional<Organization> byUid(String orgUid) {
        if (orgUid == null || orgUid.length() > 24) {
            return Optional.empty();
        }
        List<Organization> found = em.createQuery("select o from Organization o where o.orgUid = :u",
                Organization.class).setParameter("u", orgUid).getResultList();
        return found.stream().findFirst();
    }

    /** An unanswered, unexpired pending request of this organization. */
    private Optional<PendingRequest> pendingFor(Organization org, String requestId, Instant now) {
        if (requestId == null || requestId.length() > 64) {
            return Optional.empty();
        }
        PendingRequest p = em.find(PendingRequest.class, requestId);
        if (p == null || !p.getOrgId().equals(org.getId()) || p.getAnsweredAt() != null
                || !p.getExpiresAt().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /**
     * Accepts the answer once: the update only succeeds for a request nobody answered yet. The caller's copy of the
     * request is not read again: only its id is used after this, and the completion reads the row afresh.
     */
    private void answered(PendingRequest pending, String outcome, String json, Instant now) throws SsoFailure {
        int updated = em.createQuery("update PendingRequest p set p.answeredAt = :now, p.outcome = :outcome,"
                + " p.identityJson = :json where p.requestId = :id and p.answeredAt is null")
                .setParameter("now", now).setParameter("outcome", outcome).setParameter("json", json)
                .setParameter("id", pending.getRequestId()).executeUpdate();
        if (updated != 1) {
            throw new SsoFailure(Reason.IN_RESPONSE_TO_UNKNOWN, "The sign-in was already answered.");
        }
    }

    private String completeUrl(Organization org, PendingRequest pending) {
        return "/organizations/" + org.getName() + "/sso/complete?request=" + pending.getRequestId();
    }

    static Map<String, Object> failureDetail(SsoFailure failure) {
        return failure.skewMillis() == null ? Map.of("detail", failure.detail())
                : Map.of("detail", failure.detail(), "skewMillis", failure.skewMillis());
    }

    /** What a failed answer leaves on its pending request for the pipeline: the audit detail plus the reason. */
    static String failureJson(SsoFailure failure) {
        Map<String, Object> detail = new java.util.LinkedHashMap<>(failureDetail(failure));
        detail.put("reason", failure.reason().name());
        return SsoAudit.json(detail);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
