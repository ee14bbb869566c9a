package org.hubsso.it;

import static org.hubsso.it.SamlFlow.absolute;
import static org.hubsso.it.SamlFlow.between;
import static org.hubsso.it.SamlFlow.continueToIdp;
import static org.hubsso.it.SamlFlow.postToAcs;
import static org.hubsso.it.SamlFlow.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.it.SamlFlow.Sent;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.saml.TestIdp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.dom.saml.v2.metadata.KeyDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.dom.saml.v2.metadata.SPSSODescriptorType;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;

/**
 * The organization's own SAML keys over real HTTP: published in the SP metadata, AuthnRequests signed with the
 * signing key, assertions the IdP encrypts to the encryption key decrypted, and a rollover (next key published, the
 * IdP encrypting to it, then activated) that never stops a sign-in, audited.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SpKeysIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    final TestIdp idp = new TestIdp("http://idp.localhost/realms/keys");

    @Test
    void signedRequestsEncryptedAssertionsAndARolloverWithoutAGap() throws Exception {
        WebClient admin = new WebClient(URI.create(base.toString()));
        admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
        String org = HubFixtures.newOrg(admin, "keys");

        // The settings show the organization's keys, one of each use, and the metadata publishes the same.
        Page settings = admin.get("/organizations/" + org + "/settings/sso");
        assertEquals(2, settings.body().split("class=\"sp-key\"", -1).length - 1, settings::body);
        assertTrue(java.util.regex.Pattern.compile("<input id=\"saml:signRequests\"[^>]*checked").matcher(
                settings.body()).find(), "a new configuration signs its requests");
        String entityId = between(settings.body(), "id=\"sp-entity-id\">", "<");
        Map<KeyTypes, List<X509Certificate>> published = publishedKeys(new WebClient(URI.create(entityId))
                .get(entityId), true);
        assertEquals(1, published.get(KeyTypes.SIGNING).size());
        assertEquals(1, published.get(KeyTypes.ENCRYPTION).size());
        X509Certificate signing = published.get(KeyTypes.SIGNING).get(0);
        X509Certificate encryption = published.get(KeyTypes.ENCRYPTION).get(0);
        assertTrue(settings.contains(IdpCertificate.sha256Fingerprint(signing)), "the page shows the same key");

        // Update and Test with signed requests: the redirect's signature verifies with the published signing key;
        // the IdP encrypts its assertion to the published encryption key, and the test passes.
        Map<String, String> fields = new HashMap<>(SamlFlow.samlFields(idp, idp.entityId));
        fields.put("signRequests", "true");
        Page save = admin.submit(settings, "saml", "test", fields);
        assertEquals(302, save.status(), save::body);
        Page redirect = continueToIdp(admin, save);
        assertSignedBy(signing.getPublicKey(), redirect);
        Page tested = answer(admin, redirect, encryption.getPublicKey());
        assertTrue(tested.contains("id=\"test-outcome\">passed"), tested::body);

        // Encrypted to a key the organization does not have: the test fails with its own reason, nothing else.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Page failed = answer(admin, continueToIdp(admin, admin.submit(admin.get("/organizations/" + org
                + "/settings/sso"), "saml", "test", fields)), generator.generateKeyPair().getPublic());
        assertTrue(failed.contains("id=\"test-outcome\">failed"), failed::body);
        assertTrue(failed.contains("decryption-failed"), failed::body);

        // Rollover of the encryption key: the next one is published beside the active one; an IdP that learned it
        // encrypts to it, and sign-ins pass before and after it is activated.
        Page nextPublished = admin.follow(admin.submit(admin.get("/organizations/" + org + "/settings/sso"),
                "spkeys", "nextEncryption", Map.of()));
        assertTrue(nextPublished.contains("data-state=\"next\""), nextPublished::body);
        List<X509Certificate> both = publishedKeys(new WebClient(URI.create(entityId)).get(entityId), true)
                .get(KeyTypes.ENCRYPTION);
        assertEquals(2, both.size());
        assertEquals(IdpCertificate.sha256Fingerprint(encryption), IdpCertificate.sha256Fingerprint(both.get(0)),
                "the active key first");
        X509Certificate next = both.get(1);
        Page withNext = answer(admin, continueToIdp(admin, admin.submit(nextPublished, "saml", "test", fields)),
                next.getPublicKey());
        assertTrue(withNext.contains("id=\"test-outcome\">passed"), withNext::body);
        Page again = admin.submit(admin.get("/organizations/" + org + "/settings/sso"), "spkeys",
                "keys:2:activate", Map.of());
        Page activated = admin.follow(again);
        assertTrue(activated.contains("data-use=\"encryption\" data-state=\"active\""), activated::body);
        assertTrue(activated.contains("data-use=\"encryption\" data-state=\"retired\""), activated::body);
        List<X509Certificate> after = publishedKeys(new WebClient(URI.create(entityId)).get(entityId), true)
                .get(KeyTypes.ENCRYPTION);
        assertEquals(List.of(IdpCertificate.sha256Fingerprint(next)), after.stream()
                .map(IdpCertificate::sha256Fingerprint).toList(), "the retired key is no longer published");
        // An answer still encrypted to the retired key (in flight, or an IdP that learns late) still decrypts.
        Page late = answer(admin, continueToIdp(admin, admin.submit(activated, "saml", "test", fields)),
                encryption.getPublicKey());
        assertTrue(late.contains("id=\"test-outcome\">passed"), late::body);

        // Audited: both keys made, the next one published and activated, by the admin; no private key anywhere.
        List<JsonObject> audit = HubFixtures.auditOf(admin, org, "event=sso.sp.key");
        String trail = audit.toString();
        assertEquals(4, audit.size(), trail);
        assertTrue(trail.contains("\\\"action\\\":\\\"next\\\"") || trail.contains("next"), trail);
        assertTrue(trail.contains(IdpCertificate.sha256Fingerprint(next)), trail);
        assertTrue(!trail.contains("PRIVATE") && !trail.contains("v1:"), trail);
    }

    /** The SP metadata's certificates by use; whether it says AuthnRequests are signed is checked too. */
    static Map<KeyTypes, List<X509Certificate>> publishedKeys(Page metadata, boolean requestsSigned)
            throws Exception {
        assertEquals(200, metadata.status(), metadata::body);
        SPSSODescriptorType sp = SAMLMetadataUtil.parseEntityDescriptorType(metadata.body()).getChoiceType().get(0)
                .getDescriptors().get(0).getSpDescriptor();
        assertEquals(requestsSigned, sp.isAuthnRequestsSigned());
        Map<KeyTypes, List<X509Certificate>> keys = new HashMap<>();
        for (KeyDescriptorType key : sp.getKeyDescriptor()) {
            String der = key.getKeyInfo().getElementsByTagNameNS(XMLSignature.XMLNS, "X509Certificate").item(0)
                    .getTextContent();
            keys.computeIfAbsent(key.getUse(), u -> new ArrayList<>()).add((X509Certificate) CertificateFactory
                    .getInstance("X.509").generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder()
                            .decode(der))));
        }
        return keys;
    }

    /** The redirect carries SigAlg RSA-SHA256 and a Signature over the raw query that verifies with {@code key}. */
    static void assertSignedBy(PublicKey key, Page redirect) throws Exception {
        String raw = URI.create(redirect.location()).getRawQuery();
        assertTrue(raw.contains("&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"), raw);
        String signed = raw.substring(raw.indexOf("SAMLRequest="), raw.indexOf("&Signature="));
        String signature = URLDecoder.decode(raw.substring(raw.indexOf("&Signature=") + 11), StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getDecoder().decode(signature)), "the AuthnRequest's signature verifies");
    }

    /** The in-test IdP answers the redirect with its assertion encrypted to {@code to}; the hub's page after. */
    private Page answer(WebClient admin, Page redirect, PublicKey to) {
        Sent sent = sent(redirect);
        String answer = idp.answer(sent.id(), sent.spEntityId(), sent.acs(), "admin@hub.localhost").encryptTo(to)
                .encoded();
        Page acs = postToAcs(sent, answer);
        assertEquals(303, acs.status(), acs::body);
        return admin.follow(admin.get(absolute(sent, acs.location())));
    }
}
