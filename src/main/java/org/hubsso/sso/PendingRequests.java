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
import java.util.Optional;
import java.util.logging.Logger;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;

/**
 * The sign-ins in flight ({@link PendingRequest}), in the database so that any cluster node can take the IdP's
 * answer: created at the start, answered once (a conditional update only one request can win), completed once in
 * the browser that started them. An OpenID Connect sign-in keeps its nonce and sealed PKCE verifier here until its
 * callback takes them, once.
 */
@ApplicationScoped
public class PendingRequests {

    private static final Logger LOG = Logger.getLogger(PendingRequests.class.getName());
    /** How long the IdP has to answer. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final int MAX_ID = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    @Inject
    SsoSecrets secrets;

    /** A new sign-in of the account in the hub sign-in {@code signInId}, with configuration {@code config}. */
    @Transactional
    public PendingRequest create(Organization org, Long accountId, String signInId, IdpConfig config,
            boolean testMode, String returnTo) {
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        Instant now = clock.now();
        PendingRequest pending = new PendingRequest("_" + HexFormat.of().formatHex(random), org.getId(), accountId,
                signInId, config.protocol(), config.version(), testMode, returnTo, now, now.plus(LIFETIME));
        em.persist(pending);
        return pending;
    }

    @Transactional
    public Optional<PendingRequest> find(String requestId) {
        return requestId == null || requestId.length() > MAX_ID ? Optional.empty()
                : Optional.ofNullable(em.find(PendingRequest.class, requestId));
    }

    /** An unanswered, unexpired sign-in of this organization. */
    @Transactional
    public Optional<PendingRequest> open(Organization org, String requestId) {
        Instant now = clock.now();
        return find(requestId).filter(p -> p.getOrgId().equals(org.getId()) && p.getAnsweredAt() == null
                && p.getExpiresAt().isAfter(now));
    }

    /**
     * Keeps an OpenID Connect sign-in's secrets with its pending request until the IdP sends the browser back, to
     * whichever node. A hub sign-in has one such sign-in in progress per organization, as it would in its HTTP
     * session: an earlier one's secrets are dropped.
     */
    @Transactional
    public void keepFlow(Organization org, String signInId, String requestId, FlowSecrets flow) {
        em.createQuery("update PendingRequest p set p.oidcNonce = null, p.oidcCodeVerifier = null"
                + " where p.orgId = :org and p.signInId = :signIn and p.oidcNonce is not null")
                .setParameter("org", org.getId()).setParameter("signIn", signInId).executeUpdate();
        em.createQuery("update PendingRequest p set p.oidcNonce = :nonce, p.oidcCodeVerifier = :verifier"
                + " where p.requestId = :id and p.answeredAt is null")
                .setParameter("nonce", flow.nonce())
                .setParameter("verifier", secrets.sealCodeVerifier(requestId, flow.codeVerifier()))
                .setParameter("id", requestId).executeUpdate();
    }

    /**
     * The sign-in with secrets this hub sign-in has in progress for the organization, taken for one answer: whatever
     * the answer then is, the secrets are gone (a replayed callback finds nothing).
     */
    @Transactional
    public Optional<IdpProtocol.TakenFlow> takeFlow(Organization org, String signInId) {
        if (signInId == null) {
            return Optional.empty();
        }
        List<PendingRequest> live = em.createQuery("select p from PendingRequest p where p.orgId = :org"
                + " and p.signInId = :signIn and p.oidcNonce is not null and p.answeredAt is null"
                + " and p.expiresAt > :now order by p.createdAt desc", PendingRequest.class)
                .setParameter("org", org.getId()).setParameter("signIn", signInId).setParameter("now", clock.now())
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
            return Optional.of(new IdpProtocol.TakenFlow(p.getRequestId(), new FlowSecrets(nonce,
                    secrets.openCodeVerifier(p.getRequestId(), sealed))));
        } catch (SecretBox.SealedValueException e) {
            LOG.warning("The PKCE verifier of sign-in " + p.getRequestId() + " was sealed with another secret key:"
                    + " every node of a cluster needs the same hub.secret-key");
            return Optional.empty();
        }
    }

    /** Records an accepted answer, once: false when the sign-in was answered already. */
    @Transactional
    public boolean accept(PendingRequest pending, IdpIdentity identity) {
        return em.createQuery("update PendingRequest p set p.answeredAt = :now, p.outcome = :outcome,"
                + " p.identityJson = :json where p.requestId = :id and p.answeredAt is null")
                .setParameter("now", clock.now()).setParameter("outcome", PendingRequest.Answer.ACCEPTED)
                .setParameter("json", identity.toJson()).setParameter("id", pending.getRequestId())
                .executeUpdate() == 1;
    }

    /** Records a refused answer, once: false when the sign-in was answered already. */
    @Transactional
    public boolean refuse(PendingRequest pending, SsoFailure failure) {
        String detail = failure.detail() == null || failure.detail().length() <= 2000 ? failure.detail()
                : failure.detail().substring(0, 1999) + "…";
        return em.createQuery("update PendingRequest p set p.answeredAt = :now, p.outcome = :outcome,"
                + " p.failureReason = :reason, p.failureDetail = :detail, p.failureSkewMillis = :skew"
                + " where p.requestId = :id and p.answeredAt is null")
                .setParameter("now", clock.now()).setParameter("outcome", PendingRequest.Answer.REFUSED)
                .setParameter("reason", failure.reason()).setParameter("detail", detail)
                .setParameter("skew", failure.skewMillis()).setParameter("id", pending.getRequestId())
                .executeUpdate() == 1;
    }

    /** Completes an answered sign-in, once: false when it was completed already. */
    @Transactional
    public boolean complete(PendingRequest pending) {
        return em.createQuery("update PendingRequest p set p.completedAt = :now where p.requestId = :id"
                + " and p.completedAt is null").setParameter("now", clock.now())
                .setParameter("id", pending.getRequestId()).executeUpdate() == 1;
    }

    /** Forgets sign-ins that expired before {@code cutoff}. */
    @Transactional
    public int purge(Instant cutoff) {
        return em.createQuery("delete from PendingRequest p where p.expiresAt < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
    }
}
