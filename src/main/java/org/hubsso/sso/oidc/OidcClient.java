package org.hubsso.sso.oidc;

import static org.hubsso.sso.SsoFailure.Reason.EMAIL_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.EMAIL_NOT_VERIFIED;
import static org.hubsso.sso.SsoFailure.Reason.IDP_ERROR;
import static org.hubsso.sso.SsoFailure.Reason.IDP_UNREACHABLE;
import static org.hubsso.sso.SsoFailure.Reason.ID_TOKEN_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;
import static org.hubsso.sso.SsoFailure.Reason.REQUEST_TOO_LARGE;
import static org.hubsso.sso.SsoFailure.Reason.STATE_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.STATE_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.TOKEN_EXCHANGE_FAILED;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hubsso.outbound.OutboundHttp;
import org.hubsso.outbound.RefusedAddressException;
import org.hubsso.sso.FlowSecrets;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.IdpProtocol;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.OidcConfig;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.ValidatedAnswer;

/**
 * The OpenID Connect client of one version of an organization's configuration, on Nimbus oauth2-oidc-sdk: the
 * authorization code flow with PKCE (S256), {@code state} (the id of the hub's pending sign-in) and {@code nonce},
 * which the core keeps with the pending sign-in in the database (not in the HTTP session); provider metadata as
 * stored with the settings (no discovery at sign-in); every IdP call through the hub's bounded, address-checked
 * {@link OutboundHttp}; ID tokens checked by {@link IdTokenRules}. Each check of the callback has its own reason code.
 */
final class OidcClient {

    /** Largest accepted token endpoint answer: an ID token (at most 16 KB) with access and refresh tokens. */
    static final int MAX_TOKEN_RESPONSE = 64 * 1024;
    /** Parameters of other flows (implicit, logout), never accepted at the code flow's callback. */
    private static final List<String> FOREIGN_PARAMETERS = List.of("id_token", "access_token", "token",
            "logout_token", "sid");

    private final IdTokenRules rules;
    private final OutboundHttp http;
    private final OIDCProviderMetadata metadata;
    private final String issuer;
    private final ClientID clientId;
    private final String clientSecret;
    private final URI callback;
    private final Scope scope;
    private final String emailClaim;
    private final boolean requireEmailVerified;
    private final boolean acceptEntraEdov;
    private final Duration skew;
    private final Clock clock;

    /**
     * @param clientSecret the opened client secret, or {@code null} for a public client (PKCE only)
     * @param keys the organization's JWKS, shared by its clients of every configuration version
     */
    OidcClient(String callbackUrl, IdpConfig config, String clientSecret, Clock clock, JWKSource<SecurityContext> keys,
            OutboundHttp http) {
        OidcConfig settings = config.oidc();
        this.issuer = settings.getIssuer();
        this.clientId = new ClientID(settings.getClientId());
        this.clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
        this.callback = URI.create(callbackUrl);
        Scope scopes = Scope.parse(settings.getScopes());
        this.scope = scopes == null ? new Scope() : scopes;
        this.scope.add("openid");
        this.emailClaim = settings.getEmailClaim();
        this.requireEmailVerified = settings.isRequireEmailVerified();
        this.acceptEntraEdov = settings.isAcceptEntraEdov();
        this.skew = config.clockSkew();
        this.clock = clock;
        this.http = http;
        this.metadata = OidcDiscovery.restricted(settings.getMetadata());
        this.rules = new IdTokenRules(settings.getClientId(), metadata, keys, skew, clock);
    }

    /**
     * The IdP's authorization URL for the pending sign-in {@code requestId} (sent as {@code state}), with a new
     * nonce and PKCE verifier for the core to keep until the callback.
     */
    IdpProtocol.Start redirect(String requestId) {
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, scope, clientId,
                callback)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State(requestId))
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        return new IdpProtocol.Start(request.toURI().toString(), new FlowSecrets(nonce.getValue(),
                verifier.getValue()));
    }

    /**
     * Takes the IdP's answer at the callback: its state against the sign-in this browser has in progress for this
     * organization, the code exchanged (with the PKCE verifier) at the token endpoint, the ID token checked.
     *
     * @param flow the newest sign-in of this browser for this organization, taken for this one answer
     * @throws SsoFailure naming the failed check; {@link SsoFailure#inResponseTo()} is the state only when this
     *         browser sent it: another browser's state (or a made-up one) must not end someone else's sign-in
     */
    ValidatedAnswer answer(IdpRequest request, Optional<IdpProtocol.TakenFlow> flow) throws SsoFailure {
        String sent = flow.map(IdpProtocol.TakenFlow::requestId).orElse(null);
        String state = request.first("state").filter(s -> s.equals(sent)).orElse(null);
        try {
            return check(request, flow.orElse(null));
        } catch (SsoFailure failure) {
            throw failure.answering(state);
        } catch (RuntimeException e) {
            throw new SsoFailure(MALFORMED, "The IdP's answer could not be processed.").answering(state);
        }
    }

    private ValidatedAnswer check(IdpRequest request, IdpProtocol.TakenFlow flow) throws SsoFailure {
        requireCodeFlowCallback(request);
        AuthenticationSuccessResponse response = parse(request);
        requireState(response, flow);
        requireIssuer(response);
        if (response.getAuthorizationCode() == null) {
            throw new SsoFailure(MALFORMED, "The answer is not an authorization response.");
        }
        JWT idToken = redeem(response.getAuthorizationCode(), new CodeVerifier(flow.secrets().codeVerifier()));
        IDTokenClaimsSet checked = rules.validateIdToken(idToken, flow.secrets().nonce());
        JWTClaimsSet claims;
        try {
            claims = checked.toJWTClaimsSet();
        } catch (ParseException e) {
            throw new SsoFailure(MALFORMED, "The ID token's claims do not parse.");
        }
        return new ValidatedAnswer(flow.requestId(), "oidc:" + flow.requestId(),
                claims.getExpirationTime().toInstant().plus(skew), identity(claims), keyId(idToken));
    }

    /**
     * A GET with the code flow's parameters only, not naming another issuer (RFC 9207: a mix-up, whatever the IdP
     * advertises), not the IdP's error answer, with a code.
     */
    private void requireCodeFlowCallback(IdpRequest request) throws SsoFailure {
        if (!"GET".equalsIgnoreCase(request.method())) {
            throw new SsoFailure(MALFORMED, "The callback only takes GET.");
        }
        for (String foreign : FOREIGN_PARAMETERS) {
            if (request.has(foreign)) {
                throw new SsoFailure(MALFORMED, "The callback takes only the authorization code flow's parameters ("
                        + foreign + " is not accepted).");
            }
        }
        Optional<String> iss = request.first("iss");
        if (iss.isPresent() && !iss.get().equals(issuer)) {
            throw new SsoFailure(ISSUER_MISMATCH, "The authorization response comes from issuer " + iss.get()
                    + ", not " + issuer + ".");
        }
        Optional<String> error = request.first("error");
        if (error.isPresent()) {
            throw new SsoFailure(IDP_ERROR, "The IdP answered with error " + code(error.get()) + ".");
        }
        if (request.first("code").isEmpty()) {
            throw new SsoFailure(MALFORMED, "The answer carries no authorization code.");
        }
    }

    private AuthenticationSuccessResponse parse(IdpRequest request) throws SsoFailure {
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(callback, request.parameters());
        } catch (ParseException e) {
            throw new SsoFailure(MALFORMED, "The answer is not an authorization response.");
        }
        if (!(response instanceof AuthenticationSuccessResponse success)) {
            throw new SsoFailure(MALFORMED, "The answer is not an authorization response.");
        }
        return success;
    }

    /** The answer's state is the one this browser's sign-in in progress sent (the CSRF check). */
    private static void requireState(AuthenticationSuccessResponse response, IdpProtocol.TakenFlow flow)
            throws SsoFailure {
        if (flow == null) {
            throw new SsoFailure(STATE_MISSING, "This browser session has no OpenID Connect sign-in in progress for"
                    + " this organization.");
        }
        if (response.getState() == null) {
            throw new SsoFailure(STATE_MISSING, "The answer carries no state parameter.");
        }
        if (!response.getState().getValue().equals(flow.requestId())) {
            throw new SsoFailure(STATE_MISMATCH, "The answer's state is not the one this browser session sent.");
        }
    }

    /** RFC 9207: an IdP that says it names itself in authorization responses must do so. */
    private void requireIssuer(AuthenticationSuccessResponse response) throws SsoFailure {
        if (metadata.supportsAuthorizationResponseIssuerParam() && response.getIssuer() == null) {
            throw new SsoFailure(ISSUER_MISMATCH, "The authorization response does not name its issuer, which the"
                    + " IdP says it always does.");
        }
    }

    /** The kid of the key that signed the (verified) ID token, as the IdP's JWKS names it. */
    private static String keyId(JWT idToken) {
        String kid = idToken instanceof SignedJWT signed ? signed.getHeader().getKeyID() : null;
        return kid == null ? "(no kid)" : kid.length() > 200 ? kid.substring(0, 200) : kid;
    }

    /** An error code of the IdP's, reduced to characters safe to show and cut to 60. */
    private static String code(String raw) {
        String code = raw.replaceAll("[^A-Za-z0-9_.-]", "");
        return code.length() > 60 ? code.substring(0, 60) : code;
    }

    /**
     * Redeems the authorization code at the token endpoint, with the PKCE verifier and the client's authentication
     * (client_secret_basic, else client_secret_post, as the IdP offers; a public client sends its id only), through
     * the hub's bounded, address-checked outbound calls, and returns the ID token of the answer.
     */
    private JWT redeem(AuthorizationCode code, CodeVerifier verifier) throws SsoFailure {
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, callback, verifier);
        TokenRequest request = clientSecret == null
                ? new TokenRequest(metadata.getTokenEndpointURI(), clientId, grant)
                : new TokenRequest(metadata.getTokenEndpointURI(), clientAuthentication(), grant);
        HTTPRequest http = request.toHTTPRequest();
        Map<String, String> headers = new HashMap<>();
        http.getHeaderMap().forEach((name, values) -> {
            if (!values.isEmpty() && !name.equalsIgnoreCase("Content-Type")) {
                headers.put(name, values.get(0));
            }
        });
        headers.put("Accept", "application/json");
        OutboundHttp.Answer answer;
        try {
            answer = this.http.postForm(metadata.getTokenEndpointURI(), headers, http.getBody(), MAX_TOKEN_RESPONSE);
        } catch (OutboundHttp.TooLargeException e) {
            throw new SsoFailure(REQUEST_TOO_LARGE, "The token endpoint's answer is larger than "
                    + MAX_TOKEN_RESPONSE + " bytes.");
        } catch (IOException e) {
            RefusedAddressException refused = OutboundHttp.refusal(e);
            throw new SsoFailure(IDP_UNREACHABLE, refused != null ? "The token endpoint was not called: "
                    + refused.getMessage() + "." : "The IdP's token endpoint did not answer within "
                    + OutboundHttp.TIMEOUT.toSeconds() + " seconds.");
        }
        TokenResponse response;
        try {
            HTTPResponse parsed = new HTTPResponse(answer.status());
            if (answer.contentType() != null) {
                parsed.setHeader("Content-Type", answer.contentType());
            }
            parsed.setBody(answer.text());
            response = OIDCTokenResponseParser.parse(parsed);
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            throw new SsoFailure(TOKEN_EXCHANGE_FAILED, "The token endpoint's answer (HTTP " + answer.status()
                    + ") is not a token response.");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String errorCode = error == null || error.getCode() == null ? "" : code(error.getCode());
            throw new SsoFailure(TOKEN_EXCHANGE_FAILED, "The IdP's token endpoint refused the code"
                    + (errorCode.isEmpty() ? "." : " (error " + errorCode + ")."));
        }
        JWT idToken = response.toSuccessResponse() instanceof OIDCTokenResponse oidc
                ? oidc.getOIDCTokens().getIDToken() : null;
        if (idToken == null) {
            throw new SsoFailure(ID_TOKEN_MISSING, "The token response has no id_token.");
        }
        return idToken;
    }

    /** client_secret_basic, unless the IdP names only client_secret_post. */
    private ClientAuthentication clientAuthentication() {
        List<ClientAuthenticationMethod> offered = metadata.getTokenEndpointAuthMethods();
        boolean postOnly = offered != null && !offered.isEmpty()
                && !offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && offered.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        return postOnly ? new ClientSecretPost(clientId, new Secret(clientSecret))
                : new ClientSecretBasic(clientId, new Secret(clientSecret));
    }

    /**
     * Microsoft Entra ID's optional claim "email domain owner verified": Entra never sends {@code email_verified} for
     * organisational accounts, and says with this claim (when the app registration asks for it) that the address's
     * domain is verified by the tenant. It counts for {@code email_verified} only when that claim is absent and only
     * from an Entra v2.0 issuer.
     */
    static final String ENTRA_EMAIL_DOMAIN_VERIFIED = "xms_edov";

    /**
     * Whether the ID token vouches for its email: {@code email_verified} is the JSON boolean true (the string "true"
     * is not what the specification defines), or, from Entra ID without {@code email_verified}, {@code xms_edov} is.
     */
    static boolean vouchesForEmail(JWTClaimsSet claims) {
        return vouchesForEmail(claims, true);
    }

    /** As above; {@code acceptEntraEdov} false (the organization's choice) leaves {@code email_verified} alone. */
    static boolean vouchesForEmail(JWTClaimsSet claims, boolean acceptEntraEdov) {
        Object verified = claims.getClaim("email_verified");
        return Boolean.TRUE.equals(verified) || acceptEntraEdov && verified == null && isEntraId(claims.getIssuer())
                && Boolean.TRUE.equals(claims.getClaim(ENTRA_EMAIL_DOMAIN_VERIFIED));
    }

    /** {@code https://login.microsoftonline.com/{tenant}/v2.0}, the issuer of Entra ID's v2.0 ID tokens. */
    static boolean isEntraId(String issuer) {
        return issuer != null && issuer.matches("https://login\\.microsoftonline\\.com/[0-9a-fA-F-]{36}/v2\\.0");
    }

    private IdpIdentity identity(JWTClaimsSet claims) throws SsoFailure {
        Object email = claims.getClaim(emailClaim);
        if (!(email instanceof String address) || address.isBlank()) {
            throw new SsoFailure(EMAIL_MISSING, "The ID token has no string claim " + emailClaim + ".");
        }
        if (requireEmailVerified) {
            if (!vouchesForEmail(claims, acceptEntraEdov)) {
                Object verified = claims.getClaim("email_verified");
                throw new SsoFailure(EMAIL_NOT_VERIFIED, "The IdP says email_verified is " + verified + " for "
                        + address + (isEntraId(claims.getIssuer()) ? " and " + ENTRA_EMAIL_DOMAIN_VERIFIED + " is "
                        + claims.getClaim(ENTRA_EMAIL_DOMAIN_VERIFIED) : "") + "; this organization requires true.");
            }
        }
        long skewMillis = claims.getIssueTime().getTime() - clock.millis();
        return new IdpIdentity(SsoProtocol.OIDC, claims.getIssuer(), claims.getSubject(), address, Map.of(),
                skewMillis, JSONObjectUtils.toJSONString(claims.toJSONObject()));
    }
}
