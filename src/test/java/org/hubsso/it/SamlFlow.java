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
 * The browser's and the IdP's part of the SAML flow over HTTP, shared by the SAML, cluster and benchmark tests:
 * read the AuthnRequest out of the hub's redirect, post an answer to the ACS (of a chosen node) as a cross-site
 * form, follow the hub back, and configure an organization's SAML settings.
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

    /** From the hub's redirect to the IdP, through the IdP's answer at the ACS, back to where the hub sends. */
    public static Page roundTrip(WebClient browser, TestIdp idp, Page redirectToIdp, String email, String... groups) {
        Sent sent = sent(redirectToIdp);
        TestIdp.Answer a = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), email);
        String answer = (groups.length == 0 ? a : a.groups(groups)).encoded();
        Page acs = postToAcs(sent, answer);
        assertEquals(303, acs.status(), acs::body);
        return browser.follow(browser.get(absolute(sent, acs.location())));
    }

    /**
     * After "Update and Test" or "Enable", the hub's page moves on to the SSO start with a fresh navigation (a meta
     * refresh: a form post may not end at another site); this follows it as the browser does.
     */
    public static Page continueToIdp(WebClient browser, Page afterPost) {
        Page page = browser.follow(afterPost);
        return browser.get(page.uri().resolve(refreshTarget(page)).toString());
    }

    /** Reads the AuthnRequest out of the hub's redirect, as the IdP would. */
    public static Sent sent(Page redirect) {
        assertEquals(303, redirect.status(), redirect::body);
        URI location = URI.create(redirect.location());
        assertEquals("127.0.0.1", location.getHost(), "the configured Sign-On URL");
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

    /** The IdP's auto-submitted form: a cross-site POST, so without the hub's session cookie. */
    public static Page postToAcs(Sent sent, String samlResponse) {
        WebClient idpBrowserTab = new WebClient(URI.create(sent.acs()));
        return idpBrowserTab.post(sent.acs(), Map.of("SAMLResponse", samlResponse, "RelayState",
                sent.relayState() == null ? "" : sent.relayState()));
    }

    /** The IdP's auto-submitted form, posted to {@code node}'s ACS: a cross-site POST, so without hub cookies. */
    public static Page postToAcs(URI node, Sent sent, String samlResponse) {
        URI acs = sent.acsAt(node);
        return new WebClient(acs).post(acs.toString(), Map.of("SAMLResponse", samlResponse, "RelayState",
                sent.relayState() == null ? "" : sent.relayState()));
    }

    /** The SAML settings form's fields for the in-test IdP with the given Sign-On URL (never contacted). */
    public static Map<String, String> samlSettings(TestIdp idp, String signOnUrl) {
        return Map.of("signOnUrl", signOnUrl, "idpIssuer", idp.entityId, "certificate", idp.certificatePem(),
                "emailAttribute", "", "clockSkew", "120");
    }

    /** The URL of the meta refresh a page moves on with after "Update and Test" or "Enable". */
    public static String refreshTarget(Page page) {
        return between(page.body(), "http-equiv=\"refresh\" content=\"0;url=", "\"").replace("&amp;", "&");
    }

    /** Saves the SAML settings (with {@code idp}'s certificate and the given issuer) and presses "Update and Test". */
    public static Page updateAndTest(WebClient admin, String org, TestIdp idp, String idpIssuer) {
        return admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "saml", "test",
                samlFields(idp, idpIssuer));
    }

    public static Map<String, String> samlFields(TestIdp idp, String idpIssuer) {
        return Map.of("signOnUrl", "http://127.0.0.1:9/idp/sso", "idpIssuer", idpIssuer,
                "certificate", idp.certificatePem(), "emailAttribute", "", "clockSkew", "120");
    }

    /** Configures {@code idp} for the organization, tests it, enables SSO, and passes the IdP as its admin. */
    public static void enable(WebClient admin, String org, TestIdp idp) {
        Page tested = roundTrip(admin, idp, continueToIdp(admin, updateAndTest(admin, org, idp, idp.entityId)),
                "admin@hub.localhost");
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested::body);
        Page enabled = admin.submit(tested, "state", "enable", Map.of());
        assertEquals(302, enabled.status(), enabled::body);
        Page back = roundTrip(admin, idp, continueToIdp(admin, enabled), "admin@hub.localhost");
        assertTrue(back.contains("id=\"sso-state\">enabled"), back::body);
    }

    /** A Location of the ACS's answer as an absolute URL. */
    public static String absolute(Sent sent, String location) {
        return URI.create(sent.acs()).resolve(location).toString();
    }

    public static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
