package org.hubsso.sso;

import java.time.Instant;
import java.util.Optional;
import org.hubsso.hub.Organization;

/**
 * One SSO protocol's part of a sign-in: the way to the IdP, and the check of its answer into a
 * {@link ValidatedAnswer}. Everything around it (pending requests, the replay table, the shared pipeline, audit) is the
 * core's ({@link SsoService}). Implemented in {@code sso.saml} and {@code sso.oidc} as CDI beans; the core finds them
 * by {@link #protocol()} and never imports them.
 */
public interface IdpProtocol {

    SsoProtocol protocol();

    /**
     * Where to send the browser for the sign-in {@code requestId}, and what the sign-in keeps until the IdP answers.
     *
     * @throws SsoFailure when this configuration cannot be used now (e.g. a secret that does not open)
     */
    Start start(Organization org, IdpConfig config, String requestId) throws SsoFailure;

    /**
     * Checks an answer of the IdP. What to check it with comes from the sign-in it claims to answer ({@code context}).
     *
     * @throws SsoFailure naming the failed check; {@link SsoFailure#inResponseTo()} locates the sign-in it ends
     */
    ValidatedAnswer answer(Organization org, IdpRequest request, AnswerContext context) throws SsoFailure;

    /** The document an IdP is given to know this service provider by, where the protocol has one. */
    default Optional<String> metadata(Organization org) {
        return Optional.empty();
    }

    /** The way to the IdP: its URL, and the secrets to keep with the pending request (none: {@code null}). */
    record Start(String location, FlowSecrets secrets) {
    }

    /** What the core offers an adapter while it checks an answer. */
    interface AnswerContext {

        /**
         * The configuration the sign-in {@code claimedRequest} was started with: the live one for a member's sign-in
         * or an answer to no known sign-in, the one under test for an admin's test.
         *
         * @throws SsoFailure when the configuration under test was changed or discarded meanwhile
         */
        IdpConfig configFor(String claimedRequest) throws SsoFailure;

        /** This browser's newest sign-in in progress with secrets kept, taken for this one answer. */
        Optional<TakenFlow> takeFlow();

        Instant now();
    }

    /** A sign-in in progress and the secrets it kept. */
    record TakenFlow(String requestId, FlowSecrets secrets) {
    }
}
