package org.hubsso.sso.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hubsso.hub.ValidationException;
import org.hubsso.outbound.OutboundHttp;
import org.hubsso.outbound.RefusedAddressException;
import org.hubsso.sso.SignOnUrls;

/**
 * An OpenID provider's discovery document: fetched once when the admin saves the settings (bounded time and size),
 * checked, and stored with the settings, so signing in never waits for discovery.
 */
public final class OidcDiscovery {

    /** Connect and read timeout of every call to an IdP (discovery, token, JWKS). */
    public static final Duration TIMEOUT = OutboundHttp.TIMEOUT;
    static final int MAX_BYTES = 32000;

    /** ID token signature algorithms this hub accepts: asymmetric only (no {@code none}, no HMAC). */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** How the hub authenticates at the token endpoint with a client secret, in order of preference. */
    public static final Set<ClientAuthenticationMethod> SECRET_METHODS = new java.util.LinkedHashSet<>(List.of(
            ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST));

    private OidcDiscovery() {
    }

    /**
     * The IdP must accept the way this client authenticates: client_secret_basic or client_secret_post with a
     * secret, none (PKCE only) without. IdPs that list no methods accept client_secret_basic by the spec's default.
     */
    public static void requireClientAuthentication(String field, String json, boolean withSecret) {
        List<ClientAuthenticationMethod> offered = restricted(json).getTokenEndpointAuthMethods();
        if (offered == null || offered.isEmpty()) {
            if (!withSecret) {
                throw new ValidationException(field, "The IdP names no token endpoint authentication methods, so it"
                        + " expects a client secret: enter the client's secret.");
            }
            return;
        }
        boolean ok = withSecret ? offered.stream().anyMatch(SECRET_METHODS::contains)
                : offered.contains(ClientAuthenticationMethod.NONE);
        if (!ok) {
            throw new ValidationException(field, withSecret ? "The IdP accepts none of client_secret_basic or"
                    + " client_secret_post at its token endpoint (it offers " + offered + ")."
                    : "The IdP does not accept public clients (none): enter the client's secret.");
        }
    }

    /** The discovery URL of an issuer, as OpenID Connect Discovery 1.0 builds it. */
    public static URI discoveryUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    /**
     * Fetches and checks the issuer's discovery document, through the hub's bounded, address-checked outbound calls;
     * the endpoints the hub will call (token, JWKS) must resolve to addresses it may call, too.
     *
     * @return the document as fetched (to be stored)
     * @throws ValidationException with a message for the admin, on {@code field}
     */
    public static String fetch(String field, String issuer, OutboundHttp http) {
        URI url = discoveryUrl(issuer);
        String content;
        try {
            OutboundHttp.Answer answer = http.get(url, "application/json", MAX_BYTES);
            if (answer.status() != 200) {
                throw new ValidationException(field, "The discovery document " + url + " answered HTTP "
                        + answer.status() + ".");
            }
            content = answer.text();
        } catch (OutboundHttp.TooLargeException e) {
            throw new ValidationException(field, "The discovery document " + url + " is larger than " + MAX_BYTES
                    + " bytes.");
        } catch (IOException e) {
            RefusedAddressException refused = OutboundHttp.refusal(e);
            throw new ValidationException(field, refused != null ? "The discovery document " + url + " was not"
                    + " fetched: " + refused.getMessage() + "." : "Could not read the discovery document " + url
                    + " within " + TIMEOUT.toSeconds() + " seconds: " + plain(e) + ".");
        }
        OIDCProviderMetadata metadata = check(field, issuer, content);
        for (URI called : List.of(metadata.getTokenEndpointURI(), metadata.getJWKSetURI())) {
            try {
                http.check(called);
            } catch (RefusedAddressException e) {
                throw new ValidationException(field, "The IdP's endpoint " + called + " will not be called: "
                        + e.getMessage() + ".");
            } catch (IOException e) {
                throw new ValidationException(field, "The IdP's endpoint " + called + " has an unknown host.");
            }
        }
        return content;
    }

    /**
     * Checks a discovery document against the configured issuer: the {@code issuer} it names must be the very same
     * string, and it must offer the authorization code flow with endpoints this hub may call.
     */
    static OIDCProviderMetadata check(String field, String issuer, String json) {
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new ValidationException(field, "The discovery document is not valid OpenID provider metadata.");
        }
        String named = metadata.getIssuer().getValue();
        if (!named.equals(issuer)) {
            throw new ValidationException(field, "The discovery document names the issuer " + named
                    + ", not " + issuer + ". Enter the issuer exactly as the IdP names it.");
        }
        if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                || metadata.getJWKSetURI() == null) {
            throw new ValidationException(field, "The discovery document lacks an authorization endpoint, a token"
                    + " endpoint or a jwks_uri.");
        }
        for (URI endpoint : List.of(metadata.getAuthorizationEndpointURI(), metadata.getTokenEndpointURI(),
                metadata.getJWKSetURI())) {
            try {
                SignOnUrls.require(field, endpoint.toString());
            } catch (ValidationException e) {
                throw new ValidationException(field, "The IdP's endpoint " + endpoint + " is not usable: "
                        + e.getMessage());
            }
        }
        if (metadata.getIDTokenJWSAlgs() == null
                || metadata.getIDTokenJWSAlgs().stream().noneMatch(ALGORITHMS::contains)) {
            throw new ValidationException(field, "The IdP signs ID tokens with none of RS256/384/512, PS256/384/512"
                    + " or ES256/384/512 (it offers " + metadata.getIDTokenJWSAlgs() + ").");
        }
        return metadata;
    }

    /** A stored document, restricted to the accepted ID token algorithms. */
    public static OIDCProviderMetadata restricted(String json) {
        try {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(json);
            metadata.setIDTokenJWSAlgs(metadata.getIDTokenJWSAlgs().stream().filter(ALGORITHMS::contains).toList());
            return metadata;
        } catch (ParseException e) {
            throw new IllegalStateException("stored OpenID provider metadata does not parse", e);
        }
    }

    static String plain(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.io.InterruptedIOException) {
            return "no answer in time"; // read and connect timeouts
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
