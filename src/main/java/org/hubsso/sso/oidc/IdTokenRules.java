package org.hubsso.sso.oidc;

import static org.hubsso.sso.SsoFailure.Reason.AUDIENCE_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.AUTHORIZED_PARTY_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.EXPIRED;
import static org.hubsso.sso.SsoFailure.Reason.ID_TOKEN_ALGORITHM;
import static org.hubsso.sso.SsoFailure.Reason.ID_TOKEN_KEY_UNKNOWN;
import static org.hubsso.sso.SsoFailure.Reason.IDP_UNREACHABLE;
import static org.hubsso.sso.SsoFailure.Reason.ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;
import static org.hubsso.sso.SsoFailure.Reason.NONCE_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.NONCE_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.NOT_YET_VALID;
import static org.hubsso.sso.SsoFailure.Reason.SIGNATURE_INVALID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hubsso.outbound.OutboundHttp;
import org.hubsso.outbound.RefusedAddressException;
import org.hubsso.sso.SsoFailure;

/**
 * The ID token checklist, each failure with its own reason code: signed (no {@code none}) with an allowed
 * asymmetric algorithm (no HMAC, so a public key can never serve as an HMAC secret), by a key the IdP publishes in
 * its JWKS ({@link JwksKeys}: an unknown {@code kid} fetches it again, at most once per 30 s), valid signature,
 * exact issuer, audience containing the client id (and {@code azp} equal to it when present or when there are
 * several audiences), {@code exp} and {@code iat} with the organization's clock skew, and the nonce of this sign-in.
 * Signature work is nimbus-jose-jwt's; this class only decides.
 */
final class IdTokenRules {

    private final String issuer;
    private final String clientId;
    private final JWKSource<SecurityContext> keys;
    private final Duration skew;
    private final Clock clock;

    IdTokenRules(String clientId, OIDCProviderMetadata metadata, JWKSource<SecurityContext> keys, Duration skew,
            Clock clock) {
        this.issuer = metadata.getIssuer().getValue();
        this.clientId = clientId;
        this.keys = keys;
        this.skew = skew;
        this.clock = clock;
    }

    /** Largest accepted ID token (compact serialization). */
    static final int MAX_ID_TOKEN = 16 * 1024;

    /**
     * @param expectedNonce the nonce this sign-in sent
     * @throws SsoFailure naming the failed check
     */
    IDTokenClaimsSet validateIdToken(JWT idToken, String expectedNonce) throws SsoFailure {
        String serialized = idToken.getParsedString();
        if (serialized != null && serialized.length() > MAX_ID_TOKEN) {
            throw new SsoFailure(SsoFailure.Reason.REQUEST_TOO_LARGE, "The ID token has "
                    + serialized.length() + " characters; at most " + MAX_ID_TOKEN + " are accepted.");
        }
        if (!(idToken instanceof SignedJWT signed)) {
            throw new SsoFailure(ID_TOKEN_ALGORITHM, "The ID token is not a signed JWT (alg " + idToken.getHeader()
                    .getAlgorithm() + ").");
        }
        JWSHeader header = signed.getHeader();
        if (!OidcDiscovery.ALGORITHMS.contains(header.getAlgorithm())) {
            throw new SsoFailure(ID_TOKEN_ALGORITHM, "The ID token is signed with " + header.getAlgorithm()
                    + "; accepted are RS256/384/512, PS256/384/512 and ES256/384/512.");
        }
        verify(signed, header);
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new SsoFailure(MALFORMED, "The ID token's claims are not a JSON object.");
        }
        check(claims, expectedNonce, clock.instant());
        try {
            return new IDTokenClaimsSet(claims);
        } catch (ParseException e) {
            throw new SsoFailure(MALFORMED, "The ID token lacks a required claim (iss, sub, aud, exp, iat).");
        }
    }

    private void verify(SignedJWT signed, JWSHeader header) throws SsoFailure {
        List<? extends Key> candidates;
        try {
            candidates = new JWSVerificationKeySelector<>(header.getAlgorithm(), keys).selectJWSKeys(header, null);
        } catch (JwksKeys.RecentlyFetched e) {
            throw new SsoFailure(ID_TOKEN_KEY_UNKNOWN, "No key " + header.getKeyID() + " in the IdP's JWKS (fetched"
                    + " less than " + JwksKeys.REFRESH_INTERVAL.toSeconds() + " s ago; not fetched again yet).");
        } catch (KeySourceException e) {
            RefusedAddressException refused = OutboundHttp.refusal(e);
            throw new SsoFailure(IDP_UNREACHABLE, refused != null ? "The IdP's JWKS was not fetched: "
                    + refused.getMessage() + "." : "The IdP's JWKS could not be read in time.");
        }
        if (candidates.isEmpty()) {
            throw new SsoFailure(ID_TOKEN_KEY_UNKNOWN, "The IdP's JWKS has no " + header.getAlgorithm()
                    + " key with kid " + header.getKeyID() + ".");
        }
        DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
        for (Key key : candidates) {
            try {
                if (signed.verify(verifiers.createJWSVerifier(header, key))) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // try the next candidate key
            }
        }
        throw new SsoFailure(SIGNATURE_INVALID, "The ID token's signature does not verify with the IdP's key "
                + header.getKeyID() + ".");
    }

    /** The claim checks, on a token whose signature verified. */
    void check(JWTClaimsSet claims, String expectedNonce, Instant now) throws SsoFailure {
        if (!issuer.equals(claims.getIssuer())) {
            throw new SsoFailure(ISSUER_MISMATCH, "The ID token's issuer is " + claims.getIssuer() + ", expected "
                    + issuer + ".");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(clientId)) {
            throw new SsoFailure(AUDIENCE_MISMATCH, "The ID token is for " + audience + ", not for client "
                    + clientId + ".");
        }
        Object azp = claims.getClaim("azp");
        if ((audience.size() > 1 || azp != null) && !clientId.equals(azp)) {
            throw new SsoFailure(AUTHORIZED_PARTY_MISMATCH, "The ID token's azp is " + azp + ", not " + clientId
                    + ".");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) {
            throw new SsoFailure(MALFORMED, "The ID token lacks exp or iat.");
        }
        long skewMillis = iat.toInstant().toEpochMilli() - now.toEpochMilli();
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw new SsoFailure(EXPIRED, "The ID token expired at "
                    + exp.toInstant() + " (this server's time " + now + ", allowed skew " + skew.toSeconds() + " s).",
                    skewMillis);
        }
        Date nbf = claims.getNotBeforeTime();
        if (iat.toInstant().isAfter(now.plus(skew)) || (nbf != null && nbf.toInstant().isAfter(now.plus(skew)))) {
            throw new SsoFailure(NOT_YET_VALID, "The ID token was issued at "
                    + iat.toInstant() + ", after this server's time " + now + " plus the allowed skew.", skewMillis);
        }
        Object nonce = claims.getClaim("nonce");
        if (expectedNonce == null || nonce == null) {
            throw new SsoFailure(NONCE_MISSING, expectedNonce == null ? "This browser session has no nonce for the"
                    + " sign-in." : "The ID token carries no nonce.");
        }
        if (!expectedNonce.equals(nonce)) {
            throw new SsoFailure(NONCE_MISMATCH, "The ID token's nonce is not the one this sign-in sent.");
        }
    }
}
