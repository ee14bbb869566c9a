package org.hubsso.sso;

import java.time.Instant;

/**
 * An IdP's answer that passed every check of its protocol: who it says the user is, the sign-in it answers, and its
 * identifier for the replay table. The core then accepts it once for its pending sign-in.
 *
 * @param requestId the pending sign-in it answers (SAML InResponseTo, OIDC state)
 * @param replayId its identifier in the replay table, kept until {@code keepUntil}
 * @param verifiedWith the IdP key whose signature made it valid (a SAML certificate's SHA-256 fingerprint, an OIDC
 *        key's kid), so admins see which keys are in use
 */
public record ValidatedAnswer(String requestId, String replayId, Instant keepUntil, IdpIdentity identity,
        String verifiedWith) {
}
