package org.hubsso.sso.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import org.hubsso.hub.ValidationException;
import org.junit.jupiter.api.Test;

class OidcDiscoveryTest {

    static final String ISSUER = "https://idp.example.com/realms/acme";

    static String document(String issuer, String algs, String tokenEndpoint) {
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + ISSUER + "/auth\","
                + "\"token_endpoint\":\"" + tokenEndpoint + "\",\"jwks_uri\":\"" + ISSUER + "/certs\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[" + algs + "]}";
    }

    @Test
    void buildsTheDiscoveryUrlAsTheSpecSays() {
        assertEquals(ISSUER + "/.well-known/openid-configuration", OidcDiscovery.discoveryUrl(ISSUER).toString());
        assertEquals(ISSUER + "/.well-known/openid-configuration",
                OidcDiscovery.discoveryUrl(ISSUER + "/").toString());
    }

    @Test
    void acceptsAMatchingDocument() {
        OidcDiscovery.check("issuerUrl", ISSUER, document(ISSUER, "\"RS256\"", ISSUER + "/token"));
    }

    @Test
    void theIssuerMustBeTheVerySameString() {
        ValidationException e = assertThrows(ValidationException.class, () -> OidcDiscovery.check("issuerUrl",
                ISSUER + "/", document(ISSUER, "\"RS256\"", ISSUER + "/token")));
        assertTrue(e.getMessage().contains("names the issuer " + ISSUER), e.getMessage());
        assertEquals("issuerUrl", e.getField());
    }

    @Test
    void refusesDocumentsWithoutAnAcceptedAlgorithm() {
        ValidationException e = assertThrows(ValidationException.class, () -> OidcDiscovery.check("issuerUrl",
                ISSUER, document(ISSUER, "\"HS256\",\"none\"", ISSUER + "/token")));
        assertTrue(e.getMessage().contains("signs ID tokens with none of"), e.getMessage());
    }

    @Test
    void refusesPlainHttpEndpointsOffLoopback() {
        assertThrows(ValidationException.class, () -> OidcDiscovery.check("issuerUrl", ISSUER,
                document(ISSUER, "\"RS256\"", "http://idp.example.com/token")));
    }

    @Test
    void refusesGarbage() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> OidcDiscovery.check("issuerUrl", ISSUER, "<html>not json</html>"));
        assertTrue(e.getMessage().contains("not valid OpenID provider metadata"));
    }

    @Test
    void restrictsStoredMetadataToAsymmetricAlgorithms() {
        var metadata = OidcDiscovery.restricted(document(ISSUER, "\"HS256\",\"none\",\"RS256\",\"ES256\"",
                ISSUER + "/token"));
        assertEquals(java.util.List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), metadata.getIDTokenJWSAlgs());
    }
}
