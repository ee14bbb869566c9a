package org.hubsso.sso;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hubsso.audit.Audit;
import org.hubsso.audit.AuditEvent;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgContexts;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.Paths;
import org.hubsso.sso.SsoFailure.Reason;

/**
 * An organization's SP-initiated sign-in, the same for every protocol, in three steps that may each run on another
 * cluster node: {@link #start} (a pending sign-in bound to the account and its hub sign-in; the protocol adapter
 * gives the way to the IdP), {@link #answer} (the IdP's answer, checked by the adapter with the configuration the
 * sign-in was started with, then accepted once), and {@link #complete} (back in the browser that started it: the
 * shared pipeline). Protocol work is the adapters' ({@link IdpProtocol}), found by protocol; this class knows none.
 * Its steps hold no transaction of their own while an adapter works (which may call the IdP): each database step
 * is a repository's transaction, and the ones that decide (the replay table's first use, the conditional update that
 * answers a pending sign-in once) are atomic by themselves.
 */
@ApplicationScoped
public class SsoService {

    @Inject
    OrgContexts contexts;

    @Inject
    Organizations organizations;

    @Inject
    SsoConfigs configs;

    @Inject
    PendingRequests pendings;

    @Inject
    ReplayCache replay;

    @Inject
    SsoKeys keys;

    @Inject
    Audit audit;

    @Inject
    SsoPipeline pipeline;

    @Inject
    HubClock clock;

    @Inject
    SsoMetrics metrics;

    @Inject
    @Any
    Instance<IdpProtocol> adapters;

    private final Map<SsoProtocol, IdpProtocol> protocols = new EnumMap<>(SsoProtocol.class);

    @PostConstruct
    void findAdapters() {
        adapters.forEach(a -> protocols.put(a.protocol(), a));
    }

    /**
     * Starts a sign-in of the signed-in account and gives the way to the IdP.
     *
     * @param signInId the hub sign-in starting it: only it can complete it and get the SSO session
     * @param testMode an admin's "Update and Test" round-trip: tries the draft (or, without one, the live
     *        configuration) and changes nothing but the test result
     */
    public SsoOutcome start(String orgName, Long accountId, String signInId, String returnTo, boolean testMode) {
        Begun begun = begin(orgName, accountId, signInId, returnTo, testMode);
        try {
            IdpProtocol.Start start = adapter(begun.config().protocol()).start(begun.org(), begun.config(),
                    begun.requestId());
            if (start.secrets() != null) {
                pendings.keepFlow(begun.org(), signInId, begun.requestId(), start.secrets());
            }
            return SsoOutcome.redirect(start.location());
        } catch (SsoFailure failure) {
            return SsoOutcome.failed(502, failure.reason(), failure.detail());
        }
    }

    /** A started sign-in: stored, with the configuration it was started with. */
    record Begun(Organization org, IdpConfig config, String requestId) {
    }

    Begun begin(String orgName, Long accountId, String signInId, String returnTo, boolean testMode) {
        Organization org = organizations.byName(orgName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
        if (testMode) {
            Decision decision = contexts.of(org, accountId, signInId).decideSettings();
            if (decision != Decision.ALLOW) {
                throw new AccessDeniedException(decision, org.getName());
            }
        }
        OrgSsoSettings settings = configs.find(org.getId()).orElse(null);
        if (settings == null || (!testMode && !settings.isEnabled())) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgName);
        }
        IdpConfig config = testMode ? configs.working(org) : settings.config();
        if (!config.isComplete()) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgName);
        }
        PendingRequest pending = pendings.create(org, accountId, signInId, config, testMode, returnTo);
        return new Begun(org, config, pending.getRequestId());
    }

    /**
     * The IdP's answer at a protocol's endpoint of the organization with this Organization ID: checked by the
     * protocol's adapter, then accepted once for its pending sign-in (never replayed), or refused and audited. Either
     * way the browser goes on to the completion, where it can be found; makes no database transaction wait for the IdP.
     *
     * @param signInId the hub sign-in of the browser that brought the answer, if any (the OIDC callback has one)
     */
    public SsoOutcome answer(SsoProtocol protocol, String orgUid, IdpRequest request, String signInId) {
        Organization org = target(orgUid);
        IdpProtocol adapter = adapter(protocol);
        try {
            ValidatedAnswer answer = adapter.answer(org, request, new IdpProtocol.AnswerContext() {
                @Override
                public IdpConfig configFor(String claimedRequest) throws SsoFailure {
                    IdpConfig config = SsoService.this.configFor(org, claimedRequest);
                    if (config.protocol() != protocol) {
                        throw new AccessDeniedException(Decision.NOT_FOUND, orgUid);
                    }
                    return config;
                }

                @Override
                public Optional<IdpProtocol.TakenFlow> takeFlow() {
                    return pendings.takeFlow(org, signInId);
                }

                @Override
                public Instant now() {
                    return clock.now();
                }
            });
            return accepted(org, protocol, answer);
        } catch (SsoFailure failure) {
            return rejected(org, failure);
        }
    }

    /** The SP metadata of the organization with this Organization ID, for its IdP. */
    public Optional<String> metadata(String orgUid) {
        Organization org = organizations.byUid(orgUid)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgUid));
        return adapter(SsoProtocol.SAML).metadata(org);
    }

    /** The organization with this Organization ID, when it has SSO configured (live, or as a draft under test). */
    Organization target(String orgUid) {
        Organization org = organizations.byUid(orgUid)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgUid));
        OrgSsoSettings settings = configs.find(org.getId()).orElse(null);
        if (settings == null || !(settings.isConfigured() || configs.draftOf(org).isPresent())) {
            throw new AccessDeniedException(Decision.NOT_FOUND, orgUid);
        }
        return org;
    }

    /**
     * The configuration to check an answer with: the one the sign-in it claims to answer was started with. A member's
     * sign-in is checked with the live configuration; an admin's test with the very configuration under test (a
     * draft, or the live one). An answer to no known sign-in is checked with the live one, and then refused as such.
     *
     * @param claimedRequest the request id the answer claims (unverified: it only selects what to check with)
     * @throws SsoFailure when the configuration under test is gone (applied under its number stays found)
     */
    IdpConfig configFor(Organization org, String claimedRequest) throws SsoFailure {
        IdpConfig live = configs.settingsOf(org).config();
        Optional<PendingRequest> pending = pendings.open(org, claimedRequest);
        if (pending.isEmpty() || !pending.get().isTestMode() || pending.get().getConfigVersion() == live.version()) {
            return live;
        }
        Optional<SsoDraft> draft = configs.draftOf(org).filter(d -> d.getVersion() == pending.get()
                .getConfigVersion());
        if (draft.isPresent()) {
            return draft.get().config();
        }
        throw new SsoFailure(Reason.CONFIGURATION_CHANGED, "Configuration " + pending.get().getConfigVersion()
                + " was tested; it is no longer the live configuration or the draft.").answering(claimedRequest);
    }

    /** A validated answer: accepted once, for a pending sign-in of this organization and protocol, never replayed. */
    SsoOutcome accepted(Organization org, SsoProtocol protocol, ValidatedAnswer answer) {
        try {
            String requestId = answer.requestId();
            PendingRequest pending = pendings.open(org, requestId).filter(p -> p.getProtocol() == protocol)
                    .orElseThrow(() -> new SsoFailure(Reason.IN_RESPONSE_TO_UNKNOWN, "No pending sign-in "
                            + requestId + ".").answering(requestId));
            if (!replay.firstUse(org.getId(), answer.replayId(), answer.keepUntil())) {
                throw new SsoFailure(Reason.REPLAYED, "Answer " + answer.replayId() + " was used before.")
                        .answering(requestId);
            }
            if (!pendings.accept(pending, answer.identity())) {
                throw new SsoFailure(Reason.IN_RESPONSE_TO_UNKNOWN, "The sign-in was already answered.");
            }
            keys.used(org.getId(), answer.verifiedWith());
            return SsoOutcome.redirect(completeUrl(org, pending));
        } catch (SsoFailure failure) {
            return rejected(org, failure);
        }
    }

    /**
     * A refused answer: audited once, as the sign-in it answers (a member's login, or an admin's test, by that
     * account) when that is known, else as an answer nobody signed in asked for; shown in the browser that started
     * it when it can be found.
     */
    SsoOutcome rejected(Organization org, SsoFailure failure) {
        metrics.rejected(failure.reason());
        Optional<PendingRequest> pending = pendings.open(org, failure.inResponseTo());
        Map<String, Object> detail = new LinkedHashMap<>(failureDetail(failure));
        boolean test = pending.filter(PendingRequest::isTestMode).isPresent();
        pending.filter(PendingRequest::isTestMode).ifPresent(p -> detail.put("configVersion", p.getConfigVersion()));
        audit.recordAlone(org.getId(), pending.map(PendingRequest::getAccountId).orElse(null),
                test ? AuditEvent.SSO_TEST : AuditEvent.SSO_LOGIN, AuditEvent.Outcome.FAILURE, failure.reason().code(),
                detail);
        if (pending.isPresent() && pendings.refuse(pending.get(), failure)) {
            return SsoOutcome.redirect(completeUrl(org, pending.get()));
        }
        return SsoOutcome.failed(400, failure.reason(), failure.detail());
    }

    /** Back in the hub sign-in (the browser) that started the sign-in. */
    @Transactional
    public SsoOutcome complete(String orgName, String requestId, Long accountId, String signInId) {
        Organization org = organizations.byName(orgName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
        PendingRequest pending = pendings.find(requestId).orElse(null);
        if (pending == null || !pending.getOrgId().equals(org.getId()) || pending.getAnsweredAt() == null
                || pending.getCompletedAt() != null || accountId == null || !accountId.equals(pending.getAccountId())
                || !pending.getSignInId().equals(signInId)) {
            audit.recordAlone(org.getId(), accountId, AuditEvent.SSO_LOGIN, AuditEvent.Outcome.FAILURE,
                    Reason.SESSION_MISMATCH.code(), null);
            return SsoOutcome.failed(400, Reason.SESSION_MISMATCH, "Start the sign-in again from the organization's"
                    + " page in this browser.");
        }
        if (!pendings.complete(pending)) {
            return SsoOutcome.failed(400, Reason.SESSION_MISMATCH, "This sign-in was already completed.");
        }
        SsoOutcome outcome = pipeline.accept(org, pending);
        metrics.completed(org, pending, outcome, clock.now());
        return outcome;
    }

    private IdpProtocol adapter(SsoProtocol protocol) {
        IdpProtocol adapter = protocols.get(protocol);
        if (adapter == null) {
            throw new IllegalStateException("no adapter for " + protocol);
        }
        return adapter;
    }

    private static String completeUrl(Organization org, PendingRequest pending) {
        return Paths.ssoComplete(org.getName(), pending.getRequestId());
    }

    static Map<String, Object> failureDetail(SsoFailure failure) {
        return failure.skewMillis() == null ? Map.of("detail", failure.detail())
                : Map.of("detail", failure.detail(), "skewMillis", failure.skewMillis());
    }
}
