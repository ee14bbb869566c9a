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
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
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
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hubsso.outbound.OutboundHttp;
import org.hubsso.outbound.RefusedAddressException;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.OidcConfig;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.credentials.OidcCredentials;
import org.pac4j.oidc.exceptions.OidcIssuerMismatchException;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;
import org.pac4j.oidc.metadata.StaticOidcOpMetadataResolver;

/**
 * The pac4j {@link OidcClient} of one organization's OpenID provider: authorization code flow with PKCE (S256),
 * {@code state} (the id of the hub's pending request) and {@code nonce}; state, nonce and verifier are handed to the
 * caller as a {@link Flow} to keep (the hub keeps it in the database), not left in the HTTP session; provider
 * metadata as stored with the settings (no discovery at sign-in); every IdP call with {@link OidcDiscovery#TIMEOUT};
 * ID tokens checked by {@link IdTokenRules}.
 */
public final class OrgOidcClient {

    /** Request attribute with the id of the pending request, sent as {@code state}. */
    public static final String REQUEST_ID = "hub.sso.requestId";
    /** Largest accepted token endpoint answer: an ID token (at most 16 KB) with access and refresh tokens. */
    static final int MAX_TOKEN_RESPONSE = 64 * 1024;

    private final OidcClient client;
    private final IdTokenRules rules;
    private final OutboundHttp http;
    private final OIDCProviderMetadata metadata;
    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final URI callback;
    private final String emailClaim;
    private final boolean requireEmailVerified;
    private final Duration skew;
    private final Clock clock;

    /** A validated answer: the pending request it answers and who the IdP says the user is. */
    public record Answer(String requestId, IdpIdentity identity, String replayId, Instant keepUntil) {
    }

    /**
     * @param orgId the organization: its JWKS is shared by its clients of every configuration version
     * @param clientSecret the opened client secret, or {@code null} for a public client (PKCE only)
     */
    public OrgOidcClient(Long orgId, String orgUid, String callbackUrl, IdpConfig config, String clientSecret,
            Clock clock, OidcKeys keys) {
        OidcConfig settings = config.oidc();
        this.issuer = settings.getIssuer();
        this.clientId = settings.getClientId();
        this.clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
        this.callback = URI.create(callbackUrl);
        this.emailClaim = settings.getEmailClaim();
        this.requireEmailVerified = settings.isRequireEmailVerified();
        this.skew = config.clockSkew();
        this.clock = clock;
        this.http = keys.outbound().http();
        this.metadata = OidcDiscovery.restricted(settings.getMetadata());

        OidcConfiguration configuration = new OidcConfiguration();
        configuration.setClientId(settings.getClientId());
        if (this.clientSecret != null) {
            configuration.setSecret(this.clientSecret);
            configuration.setSupportedClientAuthenticationMethods(OidcDiscovery.SECRET_METHODS);
        } else {
            configuration.setSupportedClientAuthenticationMethods(Set.of(ClientAuthenticationMethod.NONE));
        }
        configuration.setScope(settings.getScopes());
        configuration.setResponseType("code");
        configuration.setWithState(true);
        configuration.setStateGenerator(ctx -> {
            Optional<Object> id = ctx.webContext().getRequestAttribute(REQUEST_ID);
            if (id.isEmpty() || !(id.get() instanceof String requestId)) {
                throw new TechnicalException("no pending SSO request to send");
            }
            return requestId;
        });
        configuration.setUseNonce(true);
        configuration.setPkceMethod(CodeChallengeMethod.S256);
        configuration.setMaxClockSkew((int) skew.toSeconds());
        configuration.setCallUserInfoEndpoint(false);
        configuration.setExpireSessionWithToken(false);
        JWKSource<SecurityContext> jwks = keys.of(orgId, metadata.getJWKSetURI());
        StaticOidcOpMetadataResolver resolver = new StaticOidcOpMetadataResolver(configuration, metadata);
        configuration.setOpMetadataResolver(resolver);
        resolver.init();
        this.rules = new IdTokenRules(configuration, metadata, jwks, skew, clock);

        client = new OidcClient(configuration);
        client.setName("oidc-" + orgUid);
        client.setCallbackUrl(callbackUrl);
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setCheckAuthenticationAttempt(false);
        client.init();
    }

    /**
     * What an OIDC sign-in in flight keeps until the IdP sends the browser back: its state (the id of the pending
     * request), nonce and PKCE code verifier. The hub keeps it with the pending request in the database, not in the
     * HTTP session, so the callback may reach any cluster node.
     */
    public record Flow(String requestId, String nonce, String codeVerifier) {

        @Override
        public String toString() {
            return "Flow[" + requestId + "]"; // the verifier is a secret
        }
    }

    /** Where to send the browser, and the flow to keep until the callback. */
    public record Redirect(String location, Flow flow) {
    }

    /** The IdP's authorization URL for the pending request {@code requestId}, with the flow it starts. */
    public Redirect redirect(WebContext web, String requestId) {
        web.setRequestAttribute(REQUEST_ID, requestId);
        FlowStore store = new FlowStore();
        RedirectionAction action = client.getRedirectionAction(new CallContext(web, store))
                .orElseThrow(() -> new IllegalStateException("no redirection to the IdP"));
        if (!(action instanceof WithLocationAction located)) {
            throw new IllegalStateException("unexpected pac4j action " + action.getCode());
        }
        Object verifier = store.values.get(client.getCodeVerifierSessionAttributeName());
        return new Redirect(located.getLocation(), new Flow(requestId,
                (String) store.values.get(client.getNonceSessionAttributeName()),
                verifier instanceof CodeVerifier v ? v.getValue() : null));
    }

    /**
     * Takes the IdP's answer at the callback: state against the flow this browser session has in progress for this
     * organization, the code exchanged (with the PKCE verifier) at the token endpoint, the ID token checked.
     *
     * @param flow the newest flow of this browser session for this organization, taken for this one answer; or
     *        {@code null} when it has none
     * @throws SsoFailure naming the failed check; {@link SsoFailure#inResponseTo()} is the (unverified) state
     */
    public Answer answer(WebContext web, Flow flow) throws SsoFailure {
        FlowStore store = new FlowStore();
        if (flow != null) {
            store.values.put(client.getStateSessionAttributeName(), new State(flow.requestId()));
            store.values.put(client.getNonceSessionAttributeName(), flow.nonce());
            store.values.put(client.getCodeVerifierSessionAttributeName(), new CodeVerifier(flow.codeVerifier()));
        }
        CallContext ctx = new CallContext(web, store);
        // A failure is reported on the pending request only when this browser session sent that state: another
        // session's state (or a made-up one) must not end someone else's sign-in.
        String sent = flow == null ? null : flow.requestId();
        String state = web.getRequestParameter("state").filter(s -> s.equals(sent)).orElse(null);
        try {
            return validate(ctx, web);
        } catch (OidcRejected rejected) {
            throw rejected.failure.answering(state);
        } catch (SsoFailure failure) {
            throw failure.answering(state);
        } catch (OidcMissingSessionStateException e) {
            throw new SsoFailure(STATE_MISSING, "This browser session has no OpenID Connect sign-in in progress for"
                    + " this organization.").answering(state);
        } catch (OidcMissingStateParameterException e) {
            throw new SsoFailure(STATE_MISSING, "The answer carries no state parameter.").answering(state);
        } catch (OidcStateMismatchException e) {
            throw new SsoFailure(STATE_MISMATCH, "The answer's state is not the one this browser session sent.")
                    .answering(state);
        } catch (OidcIssuerMismatchException e) {
            throw new SsoFailure(ISSUER_MISMATCH, "The answer's iss parameter is not the configured issuer.")
                    .answering(state);
        } catch (RuntimeException e) {
            throw new SsoFailure(MALFORMED, "The IdP's answer could not be processed.").answering(state);
        }
    }

    private Answer validate(CallContext ctx, WebContext web) throws SsoFailure {
        if (!"GET".equalsIgnoreCase(web.getRequestMethod())) {
            throw new SsoFailure(MALFORMED, "The callback only takes GET.");
        }
        for (String forbidden : List.of("id_token", "access_token", "token", "logout_token", "sid")) {
            if (web.getRequestParameter(forbidden).isPresent()) {
                throw new SsoFailure(MALFORMED, "The callback takes only the authorization code flow's parameters ("
                        + forbidden + " is not accepted).");
            }
        }
        Optional<String> iss = web.getRequestParameter("iss");
        if (iss.isPresent() && !iss.get().equals(issuer)) {
            // RFC 9207: an authorization response naming another issuer is a mix-up, whatever the OP advertises.
            throw new SsoFailure(ISSUER_MISMATCH, "The authorization response comes from issuer " + iss.get()
                    + ", not " + issuer + ".");
        }
        Optional<String> error = web.getRequestParameter("error");
        if (error.isPresent()) {
            String code = error.get().replaceAll("[^A-Za-z0-9_.-]", "");
            throw new SsoFailure(IDP_ERROR, "The IdP answered with error "
                    + (code.length() > 60 ? code.substring(0, 60) : code) + ".");
        }
        if (web.getRequestParameter("code").isEmpty()) {
            throw new SsoFailure(MALFORMED, "The answer carries no authorization code.");
        }
        Credentials extracted = client.getCredentials(ctx)
                .orElseThrow(() -> new SsoFailure(MALFORMED, "The answer carries no authorization code."));
        if (!(extracted instanceof OidcCredentials credentials) || credentials.getCode() == null) {
            throw new SsoFailure(MALFORMED, "The answer is not an authorization response.");
        }
        String requestId = web.getRequestParameter("state").orElseThrow();
        Object verifier = ctx.sessionStore().get(web, client.getCodeVerifierSessionAttributeName()).orElse(null);
        Object nonce = ctx.sessionStore().get(web, client.getNonceSessionAttributeName()).orElse(null);
        JWT idToken = redeem(credentials.getCode(), verifier instanceof CodeVerifier v ? v : null);
        IDTokenClaimsSet checked = rules.validateIdToken(idToken, nonce instanceof String n ? new Nonce(n) : null);
        JWTClaimsSet claims;
        try {
            claims = checked.toJWTClaimsSet();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new SsoFailure(MALFORMED, "The ID token's claims do not parse.");
        }
        return new Answer(requestId, identity(claims), "oidc:" + requestId,
                claims.getExpirationTime().toInstant().plus(skew));
    }

    /**
     * Redeems the authorization code at the token endpoint, with the PKCE verifier and the client's authentication
     * (client_secret_basic, else client_secret_post, as the IdP offers; a public client sends its id only), through
     * the hub's bounded, address-checked outbound calls, and returns the ID token of the answer.
     */
    private JWT redeem(String code, CodeVerifier verifier) throws SsoFailure {
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), callback, verifier);
        TokenRequest request = clientSecret == null
                ? new TokenRequest(metadata.getTokenEndpointURI(), new ClientID(clientId), grant)
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
            String errorCode = error == null || error.getCode() == null ? ""
                    : error.getCode().replaceAll("[^A-Za-z0-9_.-]", "");
            throw new SsoFailure(TOKEN_EXCHANGE_FAILED, "The IdP's token endpoint refused the code" + (errorCode
                    .isEmpty() ? "." : " (error " + (errorCode.length() > 60 ? errorCode.substring(0, 60)
                            : errorCode) + ")."));
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
        return postOnly ? new ClientSecretPost(new ClientID(clientId), new Secret(clientSecret))
                : new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret));
    }

    private IdpIdentity identity(JWTClaimsSet claims) throws SsoFailure {
        Object email = claims.getClaim(emailClaim);
        if (!(email instanceof String address) || address.isBlank()) {
            throw new SsoFailure(EMAIL_MISSING, "The ID token has no string claim " + emailClaim + ".");
        }
        if (requireEmailVerified) {
            // Only the JSON boolean true counts: the string "true" is not what the specification defines.
            Object verified = claims.getClaim("email_verified");
            if (!Boolean.TRUE.equals(verified)) {
                throw new SsoFailure(EMAIL_NOT_VERIFIED, "The IdP says email_verified is " + verified + " for "
                        + address + "; this organization requires true.");
            }
        }
        long skewMillis = claims.getIssueTime().getTime() - clock.millis();
        return new IdpIdentity(SsoProtocol.OIDC, claims.getIssuer(), claims.getSubject(), address, Map.of(),
                skewMillis, JSONObjectUtils.toJSONString(claims.toJSONObject()));
    }

    /**
     * pac4j's session store for one request of one flow: pac4j writes the state, nonce and verifier it generates
     * into it at the redirect and reads them back from it at the callback; the hub keeps them in between.
     */
    private static final class FlowStore implements SessionStore {

        final Map<String, Object> values = new HashMap<>();

        @Override
        public Optional<String> getSessionId(WebContext context, boolean createSession) {
            return Optional.empty();
        }

        @Override
        public Optional<Object> get(WebContext context, String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public void set(WebContext context, String key, Object value) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        }

        @Override
        public boolean destroySession(WebContext context) {
            values.clear();
            return true;
        }

        @Override
        public Optional<Object> getTrackableSession(WebContext context) {
            return Optional.empty();
        }

        @Override
        public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
            return Optional.empty();
        }

        @Override
        public boolean renewSession(WebContext context) {
            return false;
        }
    }
}
