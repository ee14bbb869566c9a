package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.TestIdp;
import org.keycloak.dom.saml.v2.protocol.AuthnRequestType;
import org.keycloak.saml.SAMLRequestParser;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;

/**
 * The IdP's side of an SP-initiated SAML sign-in over HTTP, for tests that pick the node each request goes to:
 * read the AuthnRequest out of the hub's redirect, answer it with the in-test IdP, post the answer to a node's ACS
 * without the browser's cookies (a cross-site form post).
 */
public final class SamlFlow {

    private SamlFlow() {
    }

    /** The AuthnRequest the hub sent the browser to the IdP with. */
    public record Sent(String id, String acs, String spEntityId, String relayState) {

        /** The ACS path (the same on every node), at {@code node}. */
        public URI acsAt(URI node) {
            return node.resolve(URI.create(acs).getRawPath());
        }
    }

    public static Sent sent(Page redirect) {
        assertEquals(303, redirect.status(), redirect::body);
        URI location = URI.create(redirect.location());
        String samlRequest = null;
        String relayState = null;
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("SAMLRequest")) {
                samlRequest = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            } else if (kv[0].equals("RelayState")) {
                relayState = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        assertNotNull(samlRequest, "SAMLRequest in " + location);
        SAMLDocumentHolder holder = SAMLRequestParser.parseRequestRedirectBinding(samlRequest);
        AuthnRequestType request = (AuthnRequestType) holder.getSamlObject();
        return new Sent(request.getID(), request.getAssertionConsumerServiceURL().toString(),
                request.getIssuer().getValue(), relayState);
    }

    /** The IdP's auto-submitted form, posted to {@code node}'s ACS: a cross-site POST, so without hub cookies. */
    public static Page postToAcs(URI node, Sent sent, String samlResponse) {
        URI acs = sent.acsAt(node);
        return new WebClient(acs).post(acs.toString(), Map.of("SAMLResponse", samlResponse, "RelayState",
                sent.relayState() == null ? "" : sent.relayState()));
    }

    /** The SAML settings form's fields for the in-test IdP (its Sign-On URL is never contacted). */
    public static Map<String, String> samlFields(TestIdp idp, String signOnUrl) {
        return Map.of("signOnUrl", signOnUrl, "idpIssuer", idp.entityId, "certificate", idp.certificatePem(),
                "emailAttribute", "email", "clockSkew", "120");
    }

    /** The URL of the meta refresh a page moves on with after "Update and Test" or "Enable". */
    public static String refreshTarget(Page page) {
        return between(page.body(), "http-equiv=\"refresh\" content=\"0;url=", "\"").replace("&amp;", "&");
    }

    public static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
