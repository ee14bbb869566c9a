package org.hubsso.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.dom.saml.v2.protocol.AuthnRequestType;
import org.keycloak.saml.processing.core.parsers.saml.SAMLParser;
import org.keycloak.saml.processing.web.util.RedirectBindingUtil;

/** The AuthnRequest as an IdP reads it off the redirect: URL-decoded, base64-decoded, inflated, parsed. */
class AuthnRequestTest {

    static final String SP = "http://127.0.0.1:8080/organizations/abc/saml/metadata";
    static final String ACS = "http://127.0.0.1:8080/organizations/abc/saml/acs";

    @Test
    void carriesOurIdTheAcsThePostBindingAndEmailNameIds() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        URI redirect = SamlClient.authnRequestRedirect("https://idp.example.test/sso", SP, ACS, "_req-1",
                null);
        Map<String, String> query = query(redirect);
        assertEquals("https://idp.example.test/sso", redirect.toString().substring(0, redirect.toString()
                .indexOf('?')));
        assertEquals("_req-1", query.get("RelayState"));
        AuthnRequestType request = parse(query.get("SAMLRequest"));
        assertEquals("_req-1", request.getID());
        assertEquals(SP, request.getIssuer().getValue());
        assertEquals(URI.create("https://idp.example.test/sso"), request.getDestination());
        assertEquals(URI.create(ACS), request.getAssertionConsumerServiceURL());
        assertEquals(URI.create("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"), request.getProtocolBinding());
        assertEquals(URI.create("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
                request.getNameIDPolicy().getFormat());
        assertEquals(Boolean.TRUE, request.getNameIDPolicy().isAllowCreate());
        assertEquals("2.0", request.getVersion());
        Instant issued = request.getIssueInstant().toGregorianCalendar().toInstant();
        assertTrue(!issued.isBefore(before) && issued.isBefore(Instant.now().plusSeconds(1)), issued.toString());
        assertEquals(2, query.size(), "SAMLRequest and RelayState only: the request is unsigned");
    }

    /** A Sign-On URL with a query of its own (some IdPs name the application there) keeps it. */
    @Test
    void keepsTheSignOnUrlsOwnQuery() throws Exception {
        URI redirect = SamlClient.authnRequestRedirect("https://idp.example.test/sso?app=hub&x=a%20b", SP, ACS,
                "_req-2", null);
        Map<String, String> query = query(redirect);
        assertEquals("hub", query.get("app"));
        assertEquals("a b", query.get("x"));
        assertEquals("_req-2", parse(query.get("SAMLRequest")).getID());
    }

    /**
     * Signed on the HTTP-Redirect binding: RSA-SHA256 over {@code SAMLRequest=…&RelayState=…&SigAlg=…} exactly as
     * the URL carries them (an IdP verifies the raw query), verifiable with the SP's public key and with no other;
     * the Sign-On URL's own query stays outside the signed part.
     */
    @Test
    void aSignedRequestVerifiesOverTheRawQueryWithTheSpKey() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair sp = generator.generateKeyPair();
        java.security.KeyPair other = generator.generateKeyPair();
        URI redirect = SamlClient.authnRequestRedirect("https://idp.example.test/sso?idpid=C0abc", SP, ACS,
                "_req-s", sp.getPrivate());
        Map<String, String> query = query(redirect);
        assertEquals(List.of("idpid", "SAMLRequest", "RelayState", "SigAlg", "Signature"),
                new ArrayList<>(query.keySet()));
        assertEquals("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", query.get("SigAlg"));
        String raw = redirect.getRawQuery();
        String signed = raw.substring(raw.indexOf("SAMLRequest="), raw.indexOf("&Signature="));
        byte[] signature = java.util.Base64.getDecoder().decode(query.get("Signature"));
        assertTrue(verifies(sp.getPublic(), signed, signature), "verifies with the SP's key");
        assertTrue(!verifies(other.getPublic(), signed, signature), "and with no other key");
        assertTrue(!verifies(sp.getPublic(), signed.replace("RelayState=_req-s", "RelayState=_req-x"), signature),
                "the RelayState is covered");
        assertEquals("_req-s", parse(query.get("SAMLRequest")).getID());
    }

    private static boolean verifies(java.security.PublicKey key, String signed, byte[] signature)
            throws Exception {
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(signature);
    }

    /** The writers are per thread: requests built at once on several threads are each whole and their own. */
    @Test
    void threadsBuildTheirOwnRequests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "_req-t" + i;
                ids.add(pool.submit(() -> parse(query(SamlClient.authnRequestRedirect(
                        "https://idp.example.test/sso", SP, ACS, id, null)).get("SAMLRequest")).getID()));
            }
            for (int i = 0; i < ids.size(); i++) {
                assertEquals("_req-t" + i, ids.get(i).get(Duration.ofSeconds(30).toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    static AuthnRequestType parse(String samlRequest) throws Exception {
        try (InputStream xml = RedirectBindingUtil.base64DeflateDecode(samlRequest)) {
            return (AuthnRequestType) SAMLParser.getInstance().parse(xml);
        }
    }
}
