package org.hubsso.it;

import static org.hubsso.it.SamlFlow.absolute;
import static org.hubsso.it.SamlFlow.postToAcs;
import static org.hubsso.it.SamlFlow.sent;
import static org.hubsso.sso.saml.TestIdp.ASSERTION_NS;
import static org.hubsso.sso.saml.TestIdp.PROTOCOL_NS;
import static org.hubsso.sso.saml.TestIdp.assertion;
import static org.hubsso.sso.saml.TestIdp.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.it.SamlFlow.Sent;
import org.hubsso.it.WebClient.Page;
import org.hubsso.sso.saml.Forge;
import org.hubsso.sso.saml.TestIdp;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.hubsso.sso.saml.Xsw;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.saml.SignatureAlgorithm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The hostile-input catalogue (SAML and transport cases 1–12 and 27–36; see SECURITY.md)
 * against the deployed WAR over HTTP. Each SAML case starts from a response the in-test IdP signed for a sign-in a
 * fresh account really started, changes it as an attacker would, posts it to the ACS as the IdP's cross-site form,
 * follows the hub back in the attacker's browser, and asserts: a clear error page with HTTP 4xx and no stack
 * trace, the case's reason code ({@code X-Hub-Sso-Failure}), a failure in the organization's SSO audit trail, no
 * success or join recorded, and that the attacker did not join. Where an edit changes who is signed in, the edit
 * names the attacker's own verified email, so an accepted forgery would show as a membership. Display names start
 * with the catalogue number; SECURITY.md's table refers to them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileSamlIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.warWithTestSupport();
    }

    @ArquillianResource
    URL base;

    /** Two tenants with IdPs of their own (keys, issuers); a third organization shares tenant A's IdP. */
    static final TestIdp IDP_A = new TestIdp("http://idp-a.localhost/realms/a");
    static final TestIdp IDP_B = new TestIdp("http://idp-b.localhost/realms/b");
    static final TestIdp ATTACKER = new TestIdp("http://idp-a.localhost/realms/a");
    static final String OUTSIDER = "outsider@elsewhere.test";

    static Tenants tenants;
    static Listener listener;

    record Tenants(WebClient admin, String a, String b, String c) {
    }

    /** What a case builds its answer from: the sign-in the attacker started, and the attacker's own email. */
    record Ctx(Sent sent, String email) {

        /** A valid answer of tenant A's IdP naming the attacker, to be changed before signing. */
        TestIdp.Answer answer() {
            return IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), email);
        }

        /** A valid, signed answer naming someone else (what an attacker can get signed). */
        String outsider(Sign sign) {
            return IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), OUTSIDER).sign(sign).encoded();
        }
    }

    /** One hostile answer: its display name, the expected reason code and final HTTP status, how it is built. */
    record Case(String name, String reason, int status, Function<Ctx, String> build) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String reason, Function<Ctx, String> build) {
        return new Case(name, reason, 400, build);
    }

    // ---- the catalogue's SAML cases, one parameter each ----------------------------------------------------

    static Stream<Case> samlCases() {
        List<Case> cases = new ArrayList<>();
        // 1. Unsigned.
        cases.add(c("1 unsigned response", "signature-invalid", x -> x.answer().sign(Sign.NONE).encoded()));
        cases.add(c("1 every signature removed after signing", "signature-invalid", x -> TestIdp.mutate(
                x.answer().sign(Sign.BOTH).encoded(), doc -> removeAll(doc, XMLSignature.XMLNS, "Signature"))));
        // 2. Extra assertion.
        cases.add(c("2 unsigned second assertion appended", "assertion-count", x -> TestIdp.mutate(
                x.outsider(Sign.ASSERTION), doc -> {
                    Element copy = unsigned(assertion(doc), "_second");
                    Xsw.claim(x.email()).accept(copy);
                    doc.getDocumentElement().appendChild(copy);
                })));
        cases.add(c("2 second assertion inside a signed Response", "assertion-count", x -> x.answer()
                .sign(Sign.RESPONSE).tweak(doc -> {
                    Element copy = (Element) assertion(doc).cloneNode(true);
                    copy.setAttribute("ID", "_second");
                    doc.getDocumentElement().appendChild(copy);
                }).encoded()));
        cases.add(c("2 signed assertion hidden in Extensions, unsigned one in its place", "assertion-count",
                x -> TestIdp.mutate(x.outsider(Sign.ASSERTION), doc -> {
                    Element original = assertion(doc);
                    Element evil = unsigned(original, "_evil");
                    Xsw.claim(x.email()).accept(evil);
                    Element extensions = doc.createElementNS(PROTOCOL_NS, "samlp:Extensions");
                    doc.getDocumentElement().insertBefore(extensions, first(doc, PROTOCOL_NS, "Status"));
                    doc.getDocumentElement().replaceChild(evil, original);
                    extensions.appendChild(original);
                })));
        // 3. XSW1-8.
        for (Xsw xsw : Xsw.values()) {
            String reason = xsw == Xsw.XSW2 || xsw == Xsw.XSW4 ? "malformed" : "assertion-count";
            cases.add(c("3 " + xsw, reason, x -> TestIdp.mutate(
                    x.outsider(xsw.wrapsResponse() ? Sign.RESPONSE : Sign.ASSERTION),
                    doc -> xsw.apply(doc, Xsw.claim(x.email())))));
        }
        // 4. Reference tricks.
        cases.add(c("4 Reference URI=\"\"", "signed-element-mismatch", x -> forged(x, new Forge().referenceUri(""))));
        cases.add(c("4 Reference to another element (Subject)", "signed-element-mismatch", x -> TestIdp.mutate(
                x.answer().sign(Sign.NONE).encoded(), doc -> {
                    Element subject = first(doc, ASSERTION_NS, "Subject");
                    subject.setAttribute("ID", "_subject");
                    subject.setIdAttribute("ID", true);
                    new Forge().referenceUri("#_subject").signAssertion(doc, IDP_A.keys.getPrivate());
                })));
        cases.add(c("4 duplicate IDs (Response ID = Assertion ID)", "signed-element-mismatch", x -> TestIdp.mutate(
                x.answer().sign(Sign.ASSERTION).encoded(),
                doc -> doc.getDocumentElement().setAttribute("ID", assertion(doc).getAttribute("ID")))));
        // 5. Comment injection: the IdP signed <attacker>@example.test.evil.test (an address the attacker owns);
        // a reader of the first text node alone would see the attacker's hub email.
        cases.add(new Case("5 comment injection in NameID", "email-mismatch", 403, x -> {
            String signed = IDP_A.answer(x.sent().id(), x.sent().spEntityId(), x.sent().acs(), x.email()
                    + ".evil.test").encoded();
            return TestIdp.mutate(signed, doc -> {
                for (Element e : List.of(first(doc, ASSERTION_NS, "NameID"),
                        first(doc, ASSERTION_NS, "AttributeValue"))) {
                    e.setTextContent("");
                    e.appendChild(doc.createTextNode(x.email()));
                    e.appendChild(doc.createComment(""));
                    e.appendChild(doc.createTextNode(".evil.test"));
                }
            });
        }));
        // 6. A key in KeyInfo.
        for (Sign sign : List.of(Sign.ASSERTION, Sign.RESPONSE, Sign.BOTH)) {
            cases.add(c("6 attacker key in KeyInfo, " + sign.name().toLowerCase() + " signed", "signature-invalid",
                    x -> x.answer().sign(sign).signedBy(ATTACKER).encoded()));
        }
        // 7. Algorithms.
        cases.add(c("7 hmac-sha1 keyed with the IdP certificate", "signature-algorithm", x -> forgedWith(x,
                new Forge().signatureMethod(SignatureMethod.HMAC_SHA1, null), hmacKey())));
        cases.add(c("7 HMACOutputLength", "signature-algorithm", x -> forgedWith(x, new Forge().hmacOutputLength(160),
                hmacKey())));
        cases.add(c("7 rsa-sha1", "signature-algorithm", x -> x.answer().algorithm(SignatureAlgorithm.RSA_SHA1)
                .encoded()));
        cases.add(c("7 rsa-md5", "signature-algorithm", x -> TestIdp.mutate(x.answer().encoded(), doc -> first(doc,
                XMLSignature.XMLNS, "SignatureMethod").setAttribute("Algorithm",
                        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"))));
        cases.add(c("7 XPath transform leaving the NameID unsigned", "signature-algorithm", x -> TestIdp.mutate(
                IDP_A.answer(x.sent().id(), x.sent().spEntityId(), x.sent().acs(), OUTSIDER).sign(Sign.NONE)
                        .encoded(), doc -> {
                    new Forge().xpath(Forge.XPATH_EXCLUDING_NAME_ID).signAssertion(doc, IDP_A.keys.getPrivate());
                    Xsw.claim(x.email()).accept(doc.getDocumentElement());
                })));
        cases.add(c("7 XSLT transform", "signature-algorithm", x -> TestIdp.mutate(x.answer().encoded(), doc -> {
            Element transforms = first(doc, XMLSignature.XMLNS, "Transforms");
            Element xslt = doc.createElementNS(XMLSignature.XMLNS, "ds:Transform");
            xslt.setAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116");
            transforms.insertBefore(xslt, transforms.getLastChild());
        })));
        cases.add(c("7 exclusive c14n with comments", "signature-algorithm", x -> TestIdp.mutate(x.answer().encoded(),
                doc -> first(doc, XMLSignature.XMLNS, "CanonicalizationMethod").setAttribute("Algorithm",
                        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"))));
        cases.add(c("7 ECDSA r=s=0 (psychic signature)", "signature-invalid", x -> TestIdp.mutate(x.answer().encoded(),
                doc -> {
                    first(doc, XMLSignature.XMLNS, "SignatureMethod").setAttribute("Algorithm",
                            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
                    first(doc, XMLSignature.XMLNS, "SignatureValue").setTextContent("MAYCAQACAQA=");
                    Xsw.claim(x.email()).accept(doc.getDocumentElement());
                })));
        // 8. Digest tricks.
        cases.add(c("8 forged DigestValue in StatusDetail", "signature-invalid", x -> TestIdp.mutate(
                x.outsider(Sign.ASSERTION), doc -> {
                    Xsw.claim(x.email()).accept(assertion(doc));
                    Element detail = doc.createElementNS(PROTOCOL_NS, "samlp:StatusDetail");
                    Element digest = doc.createElementNS(XMLSignature.XMLNS, "ds:DigestValue");
                    digest.setTextContent(Base64.getEncoder().encodeToString(new byte[32]));
                    detail.appendChild(digest);
                    first(doc, PROTOCOL_NS, "Status").appendChild(detail);
                })));
        cases.add(c("8 comment inside DigestValue", "signature-invalid", x -> TestIdp.mutate(
                x.outsider(Sign.ASSERTION), doc -> {
                    Xsw.claim(x.email()).accept(assertion(doc));
                    Element digest = first(doc, XMLSignature.XMLNS, "DigestValue");
                    String value = digest.getTextContent();
                    digest.setTextContent("");
                    digest.appendChild(doc.createTextNode(value.substring(0, 10)));
                    digest.appendChild(doc.createComment("x"));
                    digest.appendChild(doc.createTextNode(value.substring(10)));
                })));
        cases.add(c("8 two SignedInfo", "signature-invalid", x -> TestIdp.mutate(x.outsider(Sign.ASSERTION), doc -> {
            Element signedInfo = first(doc, XMLSignature.XMLNS, "SignedInfo");
            signedInfo.getParentNode().insertBefore(signedInfo.cloneNode(true), signedInfo);
            Xsw.claim(x.email()).accept(assertion(doc));
        })));
        // 9. Parser differentials.
        cases.add(c("9 DOCTYPE SYSTEM hiding a comment", "doctype-rejected", x -> withProlog(x.answer().encoded(),
                "<!DOCTYPE samlp:Response SYSTEM 'x\"><!--'>")));
        cases.add(c("9 ATTLIST redefining the Signature namespace", "doctype-rejected", x -> withProlog(
                x.answer().encoded(), "<!DOCTYPE samlp:Response [<!ATTLIST ds:Signature xmlns:ds CDATA"
                        + " \"http://evil.test/\">]>")));
        cases.add(c("9 DOCTYPE in a UTF-16 document", "doctype-rejected", x -> utf16(withPrologXml(
                xml(x.answer().encoded()), "<!DOCTYPE samlp:Response [<!ENTITY e \"x\">]>"))));
        // 10. Encrypted assertion.
        cases.add(c("10 EncryptedAssertion without a key in an unsigned Response", "decryption-failed", x -> TestIdp.mutate(
                x.answer().sign(Sign.NONE).encoded(), doc -> doc.getDocumentElement().replaceChild(
                        encryptedAssertion(doc), assertion(doc)))));
        cases.add(c("10 EncryptedAssertion next to the signed assertion", "assertion-count", x -> TestIdp.mutate(
                x.outsider(Sign.ASSERTION), doc -> doc.getDocumentElement().appendChild(encryptedAssertion(doc)))));
        // Encrypted to this organization's published key, as anyone can: the encryption proves nothing.
        cases.add(c("10 assertion encrypted to this SP, nothing signed", "signature-invalid",
                x -> IDP_A.answer(x.sent().id(), x.sent().spEntityId(), x.sent().acs(), OUTSIDER).sign(Sign.NONE)
                        .encryptTo(spEncryptionKey(x)).encoded()));
        cases.add(c("10 assertion encrypted to this SP, signed by an attacker's key", "signature-invalid",
                x -> IDP_A.answer(x.sent().id(), x.sent().spEntityId(), x.sent().acs(), OUTSIDER)
                        .signedBy(ATTACKER).encryptTo(spEncryptionKey(x)).encoded()));
        cases.add(c("10 assertion encrypted to this SP with RSA 1.5 key transport", "encryption-algorithm",
                x -> x.answer().encryptTo(spEncryptionKey(x)).encryptedWith(
                        "http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2001/04/xmlenc#rsa-1_5")
                        .encoded()));
        // 11. Profile checks, one item each, re-signed.
        String past = Instant.now().minus(Duration.ofMinutes(30)).toString();
        String future = Instant.now().plus(Duration.ofMinutes(30)).toString();
        cases.add(c("11 Destination another ACS", "destination-mismatch", x -> x.answer().sign(Sign.BOTH).tweak(
                doc -> doc.getDocumentElement().setAttribute("Destination", x.sent().acs() + "x")).encoded()));
        cases.add(c("11 Destination missing", "destination-mismatch", x -> x.answer().sign(Sign.BOTH).tweak(
                doc -> doc.getDocumentElement().removeAttribute("Destination")).encoded()));
        cases.add(c("11 Status Responder", "status-not-success", x -> x.answer().sign(Sign.BOTH).tweak(doc -> first(
                doc, PROTOCOL_NS, "StatusCode").setAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder"))
                .encoded()));
        cases.add(c("11 Response Issuer another IdP", "response-issuer-mismatch", x -> x.answer().sign(Sign.BOTH)
                .tweak(doc -> childIssuer(doc.getDocumentElement()).setTextContent(IDP_B.entityId)).encoded()));
        cases.add(c("11 Assertion Issuer another IdP", "assertion-issuer-mismatch", x -> x.answer().tweak(
                doc -> childIssuer(assertion(doc)).setTextContent(IDP_B.entityId)).encoded()));
        cases.add(c("11 no bearer SubjectConfirmation", "subject-confirmation-missing", x -> x.answer().tweak(doc ->
                first(doc, ASSERTION_NS, "SubjectConfirmation").setAttribute("Method",
                        "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")).encoded()));
        cases.add(c("11 Recipient another ACS", "recipient-mismatch", x -> x.answer().tweak(doc -> first(doc,
                ASSERTION_NS, "SubjectConfirmationData").setAttribute("Recipient", x.sent().acs() + "x")).encoded()));
        cases.add(c("11 SubjectConfirmationData NotOnOrAfter past", "subject-confirmation-expired", x -> x.answer()
                .tweak(doc -> first(doc, ASSERTION_NS, "SubjectConfirmationData").setAttribute("NotOnOrAfter", past))
                .encoded()));
        cases.add(c("11 SubjectConfirmationData NotBefore present", "subject-confirmation-not-before", x -> x.answer()
                .tweak(doc -> first(doc, ASSERTION_NS, "SubjectConfirmationData").setAttribute("NotBefore",
                        Instant.now().minusSeconds(10).toString())).encoded()));
        cases.add(c("11 InResponseTo unknown", "in-response-to-unknown", x -> IDP_A.answer("_never-sent-"
                + HubFixtures.suffix(), x.sent().spEntityId(), x.sent().acs(), x.email()).encoded()));
        cases.add(c("11 SubjectConfirmationData answers another request", "in-response-to-mismatch", x -> x.answer()
                .tweak(doc -> first(doc, ASSERTION_NS, "SubjectConfirmationData").setAttribute("InResponseTo",
                        "_another")).encoded()));
        cases.add(c("11 Conditions NotOnOrAfter past", "expired", x -> x.answer().tweak(doc -> first(doc,
                ASSERTION_NS, "Conditions").setAttribute("NotOnOrAfter", past)).encoded()));
        cases.add(c("11 Conditions NotBefore future", "not-yet-valid", x -> x.answer().tweak(doc -> first(doc,
                ASSERTION_NS, "Conditions").setAttribute("NotBefore", future)).encoded()));
        cases.add(c("11 Audience missing", "audience-mismatch", x -> x.answer().tweak(doc -> removeAll(doc,
                ASSERTION_NS, "AudienceRestriction")).encoded()));
        cases.add(c("11 Audience another SP", "audience-mismatch", x -> x.answer().tweak(doc -> first(doc,
                ASSERTION_NS, "Audience").setTextContent(x.sent().spEntityId() + "x")).encoded()));
        cases.add(c("11 no AuthnStatement", "authn-statement-missing", x -> x.answer().tweak(doc -> removeAll(doc,
                ASSERTION_NS, "AuthnStatement")).encoded()));
        // 30. IdP-initiated.
        cases.add(c("30 IdP-initiated (no InResponseTo)", "unsolicited-response", x -> x.answer().sign(Sign.BOTH)
                .tweak(doc -> {
                    doc.getDocumentElement().removeAttribute("InResponseTo");
                    first(doc, ASSERTION_NS, "SubjectConfirmationData").removeAttribute("InResponseTo");
                }).encoded()));
        // 33. Many elements, deep nesting (within the size limit, unsigned additions).
        cases.add(c("33 5000 attributes added after signing", "signature-invalid", x -> TestIdp.mutate(
                x.answer().encoded(), doc -> {
                    Element statement = first(doc, ASSERTION_NS, "AttributeStatement");
                    for (int i = 0; i < 5000; i++) {
                        Element a = doc.createElementNS(ASSERTION_NS, "saml:Attribute");
                        a.setAttribute("Name", "a" + i);
                        statement.appendChild(a);
                    }
                })));
        cases.add(c("33 10000 nested elements in Extensions", "malformed", x -> {
            String xml = xml(x.answer().encoded());
            String nested = "<samlp:Extensions>" + "<n:x xmlns:n=\"urn:x\">".repeat(1) + "<n:x>".repeat(10_000)
                    + "</n:x>".repeat(10_001) + "</samlp:Extensions>";
            int at = xml.indexOf("<samlp:Status");
            return b64(xml.substring(0, at) + nested + xml.substring(at));
        }));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samlCases")
    void hostileAnswerIsRefusedAndChangesNothing(Case hostile) {
        Tenants t = tenants();
        WebClient attacker = fresh("h");
        List<String> before = HubFixtures.auditLines(base, t.a());
        Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        String encoded = hostile.build().apply(new Ctx(sent, attacker.username() + "@example.test"));
        Page done = throughAcs(attacker, sent, postToAcs(sent, encoded));
        assertRefused(done, hostile.reason(), hostile.status());
        assertNothingChanged(attacker, t.a(), before, hostile.reason());
    }

    // ---- 11/12: requests reused, answered twice, from another session --------------------------------------

    @Test
    @DisplayName("12 replay: the same valid answer posted twice")
    void replayedAnswerIsRefused() {
        Tenants t = tenants();
        WebClient member = fresh("r");
        Sent sent = sent(member.get("/organizations/" + t.a() + "/sso"));
        String valid = IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), member.username() + "@example.test")
                .encoded();
        Page first = throughAcs(member, sent, postToAcs(sent, valid));
        assertEquals(200, first.status(), first::body);
        assertTrue(first.contains("id=\"my-role\""), "the genuine answer works");
        List<String> before = HubFixtures.auditLines(base, t.a());
        Page replayed = throughAcs(member, sent, postToAcs(sent, valid));
        assertRefused(replayed, "in-response-to-unknown", 400);
        assertNoSuccessSince(t.a(), before, "in-response-to-unknown");
        // Replayed by someone else, into a sign-in of their own: the signed InResponseTo names the old request.
        WebClient other = fresh("r2");
        Sent theirs = sent(other.get("/organizations/" + t.a() + "/sso"));
        Page stolen = throughAcs(other, theirs, postToAcs(theirs, valid));
        assertRefused(stolen, "in-response-to-unknown", 400);
        assertFalse(other.get("/" + t.a()).contains("id=\"my-role\""));
    }

    @Test
    @DisplayName("11 InResponseTo reused after a failed answer")
    void aRequestAnsweredOnceCannotBeAnsweredAgain() {
        Tenants t = tenants();
        WebClient attacker = fresh("u");
        Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        String email = attacker.username() + "@example.test";
        Page failed = throughAcs(attacker, sent, postToAcs(sent, IDP_A.answer(sent.id(), sent.spEntityId(),
                sent.acs(), email).sign(Sign.NONE).encoded()));
        assertRefused(failed, "signature-invalid", 400);
        List<String> before = HubFixtures.auditLines(base, t.a());
        Page again = throughAcs(attacker, sent, postToAcs(sent, IDP_A.answer(sent.id(), sent.spEntityId(),
                sent.acs(), email).encoded()));
        assertRefused(again, "in-response-to-unknown", 400);
        assertNothingChanged(attacker, t.a(), before, "in-response-to-unknown");
    }

    @Test
    @DisplayName("11 InResponseTo of another browser session")
    void aSignInIsCompletedOnlyInTheSessionThatStartedIt() {
        Tenants t = tenants();
        WebClient victim = fresh("v");
        WebClient attacker = fresh("w");
        Sent sent = sent(victim.get("/organizations/" + t.a() + "/sso"));
        Page acs = postToAcs(sent, IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(),
                victim.username() + "@example.test").encoded());
        assertEquals(303, acs.status());
        List<String> before = HubFixtures.auditLines(base, t.a());
        Page stolen = attacker.get(absolute(sent, acs.location()));
        assertRefused(stolen, "session-mismatch", 400);
        assertNothingChanged(attacker, t.a(), before, "session-mismatch");
    }

    @Test
    @DisplayName("11 a read member's failed answers change no role and open no SSO session")
    void aMembersFailedAnswersChangeNothing() {
        Tenants t = tenants();
        WebClient member = fresh("m");
        HubFixtures.addMember(t.admin(), t.a(), member.username(), "read");
        String email = member.username() + "@example.test";
        for (Function<Sent, String> hostile : List.<Function<Sent, String>>of(
                s -> IDP_A.answer(s.id(), s.spEntityId(), s.acs(), email).sign(Sign.NONE).encoded(),
                s -> TestIdp.mutate(IDP_A.answer(s.id(), s.spEntityId(), s.acs(), OUTSIDER).encoded(),
                        doc -> Xsw.XSW5.apply(doc, Xsw.claim(email))),
                s -> IDP_A.answer(s.id(), s.spEntityId(), s.acs(), email).signedBy(ATTACKER).encoded())) {
            Sent sent = sent(member.get("/organizations/" + t.a() + "/sso"));
            Page refused = throughAcs(member, sent, postToAcs(sent, hostile.apply(sent)));
            assertTrue(refused.status() >= 400 && refused.status() < 500, refused::body);
        }
        Page org = member.get("/" + t.a());
        assertEquals(403, org.status());
        assertEquals("sso-required", org.header("X-Hub-Access"), "no SSO session");
        assertEquals("read", roleOf(t.admin(), t.a(), member.username()), "the role is unchanged");
    }

    // ---- 27-29: two tenants -------------------------------------------------------------------------------

    @Test
    @DisplayName("27 cross-tenant: an answer for one organization posted to another's ACS")
    void anAnswerForOneTenantIsRefusedByAnother() {
        Tenants t = tenants();
        WebClient attacker = fresh("x");
        String email = attacker.username() + "@example.test";
        Sent forA = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        Sent forC = sent(attacker.get("/organizations/" + t.c() + "/sso"));
        Sent forB = sent(attacker.get("/organizations/" + t.b() + "/sso"));
        List<String> beforeB = HubFixtures.auditLines(base, t.b());
        List<String> beforeC = HubFixtures.auditLines(base, t.c());
        String answerForA = IDP_A.answer(forA.id(), forA.spEntityId(), forA.acs(), email).encoded();

        // B has another IdP: A's IdP signature is worthless there.
        assertRefused(throughAcs(attacker, forB, postTo(forB.acs(), answerForA)), "signature-invalid", 400);
        // C trusts the same IdP as A; the answer is still A's: Destination, Audience, Recipient, InResponseTo.
        assertRefused(throughAcs(attacker, forC, postTo(forC.acs(), answerForA)), "destination-mismatch", 400);
        String audienceA = IDP_A.answer(forA.id(), forA.spEntityId(), forC.acs(), email).encoded();
        assertRefused(throughAcs(attacker, forC, postTo(forC.acs(), audienceA)), "audience-mismatch", 400);
        String recipientA = IDP_A.answer(forA.id(), forC.spEntityId(), forC.acs(), email).tweak(doc -> first(doc,
                ASSERTION_NS, "SubjectConfirmationData").setAttribute("Recipient", forA.acs())).encoded();
        assertRefused(throughAcs(attacker, forC, postTo(forC.acs(), recipientA)), "recipient-mismatch", 400);
        String requestOfA = IDP_A.answer(forA.id(), forC.spEntityId(), forC.acs(), email).encoded();
        assertRefused(throughAcs(attacker, forC, postTo(forC.acs(), requestOfA)), "in-response-to-unknown", 400);

        assertNothingChanged(attacker, t.b(), beforeB, "signature-invalid");
        assertNothingChanged(attacker, t.c(), beforeC, "in-response-to-unknown");
        assertFalse(attacker.get("/" + t.a()).contains("id=\"my-role\""));
    }

    @Test
    @DisplayName("28 IdP impersonation: tenant B's IdP signs with tenant A's issuer")
    void anotherTenantsIdpCannotSpeakForThisOne() {
        Tenants t = tenants();
        WebClient attacker = fresh("y");
        String email = attacker.username() + "@example.test";
        List<String> beforeA = HubFixtures.auditLines(base, t.a());
        Sent forA = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        // IDP_B's key, IDP_A's issuer, posted to A: A verifies with A's pinned key only.
        String byB = IDP_A.answer(forA.id(), forA.spEntityId(), forA.acs(), email).signedBy(IDP_B).encoded();
        assertRefused(throughAcs(attacker, forA, postToAcs(forA, byB)), "signature-invalid", 400);
        assertNothingChanged(attacker, t.a(), beforeA, "signature-invalid");
        // B's own IdP speaking as A at B's ACS: B's key verifies, the issuer does not match B's configuration.
        List<String> beforeB = HubFixtures.auditLines(base, t.b());
        Sent forB = sent(attacker.get("/organizations/" + t.b() + "/sso"));
        String asA = IDP_B.answer(forB.id(), forB.spEntityId(), forB.acs(), email).sign(Sign.BOTH).tweak(doc -> {
            childIssuer(doc.getDocumentElement()).setTextContent(IDP_A.entityId);
            childIssuer(assertion(doc)).setTextContent(IDP_A.entityId);
        }).encoded();
        assertRefused(throughAcs(attacker, forB, postToAcs(forB, asA)), "response-issuer-mismatch", 400);
        assertNothingChanged(attacker, t.b(), beforeB, "response-issuer-mismatch");
    }

    @Test
    @DisplayName("29 foreign email: tenant B's IdP asserts a member of A, or an unverified email")
    void emailsAreMatchedOnlyToTheSigningInAccountsVerifiedEmails() {
        Tenants t = tenants();
        WebClient victim = fresh("ceo");
        HubFixtures.addMember(t.admin(), t.a(), victim.username(), "admin");
        WebClient attacker = fresh("z");
        List<String> beforeB = HubFixtures.auditLines(base, t.b());
        Sent forB = sent(attacker.get("/organizations/" + t.b() + "/sso"));
        String claimsVictim = IDP_B.answer(forB.id(), forB.spEntityId(), forB.acs(),
                victim.username() + "@example.test").encoded();
        Page refused = throughAcs(attacker, forB, postToAcs(forB, claimsVictim));
        assertRefused(refused, "email-mismatch", 403);
        assertNothingChanged(attacker, t.b(), beforeB, "email-mismatch");
        assertFalse(attacker.get("/" + t.a()).contains("id=\"my-role\""), "no way into A either");

        // An account whose email is not verified cannot be matched by it.
        WebClient unverified = new WebClient(URI.create(base.toString()));
        String name = "nv-" + HubFixtures.suffix();
        Page joined = unverified.submit(unverified.get("/join"), "join", "submit", Map.of("username", name,
                "displayName", name, "email", name + "@example.test", "password", HubFixtures.PASSWORD));
        assertEquals(302, joined.status(), joined::body);
        unverified.username(name);
        List<String> before = HubFixtures.auditLines(base, t.b());
        Sent sent = sent(unverified.get("/organizations/" + t.b() + "/sso"));
        Page notVerified = throughAcs(unverified, sent, postToAcs(sent, IDP_B.answer(sent.id(), sent.spEntityId(),
                sent.acs(), name + "@example.test").encoded()));
        assertRefused(notVerified, "email-mismatch", 403);
        assertNothingChanged(unverified, t.b(), before, "email-mismatch");

        // A genuine SSO session at B opens nothing at A.
        WebClient both = fresh("both");
        HubFixtures.addMember(t.admin(), t.a(), both.username(), "read");
        Page inB = SamlFlow.roundTrip(both, IDP_B, both.get("/organizations/" + t.b() + "/sso"),
                both.username() + "@example.test");
        assertTrue(inB.contains("id=\"my-role\""), inB::body);
        assertEquals("sso-required", both.get("/" + t.a()).header("X-Hub-Access"));
    }

    // ---- 31: open redirects ---------------------------------------------------------------------------------

    @Test
    @DisplayName("31 open redirect via returnTo or RelayState")
    void returnToAndRelayStateNeverLeaveTheSite() {
        Tenants t = tenants();
        for (String evil : List.of("https://evil.test/", "//evil.test/", "/\\evil.test/", "javascript:alert(1)",
                "/%2F%2Fevil.test", "\\\\evil.test", " //evil.test", "/\t/evil.test", "http:evil.test")) {
            WebClient member = fresh("o");
            Sent sent = sent(member.get("/organizations/" + t.a() + "/sso?returnTo="
                    + URLEncoder.encode(evil, StandardCharsets.UTF_8)));
            String valid = IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), member.username()
                    + "@example.test").encoded();
            // RelayState is the IdP's to echo; an attacker changing it changes nothing.
            Page acs = postTo(sent.acs(), valid, "RelayState", evil);
            assertEquals(303, acs.status(), acs::body);
            assertTrue(acs.location().contains("/sso/complete?request="), acs.location());
            Page back = member.get(absolute(sent, acs.location()));
            assertEquals(303, back.status(), back::body);
            URI target = URI.create(sent.acs()).resolve(back.location());
            assertEquals(URI.create(sent.acs()).getAuthority(), target.getAuthority(), evil + " -> " + back.location());
            assertFalse(back.location().startsWith("//") || back.location().startsWith("/\\"), back.location());
            if (!evil.startsWith("/%2F")) {
                assertTrue(target.getPath().endsWith("/" + t.a()), evil + " falls back to the organization page: "
                        + target);
            } // "/%2F%2Fevil.test" is a path of this site (percent-encoded slashes), and stays one

        }
        // The hub's own sign-in page takes the same care.
        for (String evil : List.of("https://evil.test/", "//evil.test/", "/\\evil.test/")) {
            WebClient web = new WebClient(URI.create(base.toString()));
            Page form = web.get("/login?returnTo=" + URLEncoder.encode(evil, StandardCharsets.UTF_8));
            Page signedIn = web.submit(form, "login", "submit", Map.of("login", HubFixtures.ADMIN,
                    "password", HubFixtures.ADMIN_PASSWORD));
            assertEquals(302, signedIn.status(), signedIn::body);
            URI target = form.uri().resolve(signedIn.location());
            assertEquals(form.uri().getAuthority(), target.getAuthority(), evil + " -> " + signedIn.location());
        }
    }

    // ---- 32: XXE with a loopback listener that must hear nothing --------------------------------------------

    @Test
    @DisplayName("32 XXE and billion laughs: DOCTYPEs refused, the loopback listener receives nothing")
    void externalEntitiesAreNeverFetched() throws Exception {
        Tenants t = tenants();
        Listener ear = listener();
        String at = "http://127.0.0.1:" + ear.port();
        Map<String, String> doctypes = new java.util.LinkedHashMap<>();
        doctypes.put("32 external entity over http", "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + at + "/entity\">]>");
        doctypes.put("32 external entity file:///etc/passwd", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
        doctypes.put("32 external DTD", "<!DOCTYPE r SYSTEM \"" + at + "/dtd\">");
        doctypes.put("32 parameter entity", "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + at + "/param\"> %p;]>");
        doctypes.put("32 billion laughs", "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;"
                + "&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;"
                + "&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;"
                + "&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>");
        for (Map.Entry<String, String> doctype : doctypes.entrySet()) {
            for (boolean utf16 : List.of(false, true)) {
                WebClient attacker = fresh("e");
                List<String> before = HubFixtures.auditLines(base, t.a());
                Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
                String xml = xml(IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), attacker.username()
                        + "@example.test").encoded());
                String evil = withPrologXml(xml, doctype.getValue())
                        .replace(attacker.username() + "@example.test</saml:NameID>", "&x;</saml:NameID>");
                Page refused = throughAcs(attacker, sent, postToAcs(sent, utf16 ? utf16(evil) : b64(evil)));
                String what = doctype.getKey() + (utf16 ? " (UTF-16)" : "");
                assertRefused(refused, "doctype-rejected", 400, what);
                assertNothingChanged(attacker, t.a(), before, "doctype-rejected");
            }
        }
        // XInclude needs no DOCTYPE: it is never processed; an xi:include inside NameID does not even parse as SAML.
        WebClient attacker = fresh("xi");
        Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        String xinclude = TestIdp.mutate(IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), OUTSIDER).encoded(),
                doc -> {
                    Element include = doc.createElementNS("http://www.w3.org/2001/XInclude", "xi:include");
                    include.setAttribute("href", at + "/xinclude");
                    include.setAttribute("parse", "text");
                    first(doc, ASSERTION_NS, "NameID").appendChild(include);
                });
        assertRefused(throughAcs(attacker, sent, postToAcs(sent, xinclude)), "malformed", 400, "32 XInclude");
        // The admin's pasted IdP metadata is parsed by the hub too.
        Page settings = t.admin().get("/organizations/" + t.a() + "/settings/sso");
        Page filled = t.admin().submit(settings, "meta", "fill", Map.of("metadata", "<?xml version=\"1.0\"?>"
                + "<!DOCTYPE m [<!ENTITY x SYSTEM \"" + at + "/metadata\">]><md:EntityDescriptor xmlns:md=\"urn:oasis"
                + ":names:tc:SAML:2.0:metadata\" entityID=\"&x;\"/>"));
        assertTrue(filled.status() < 500, filled::body);
        assertNoStackTrace(filled, "32 pasted metadata");
        assertFalse(filled.contains("value=\"" + IDP_B.entityId), "nothing filled in");
        Thread.sleep(500);
        assertEquals(0, ear.connections(), "the loopback listener was never connected to: " + ear.heard());
    }

    // ---- 33-36: transport --------------------------------------------------------------------------------

    @Test
    @DisplayName("33 oversized input: 413 before parsing, or 400 from the size check")
    void oversizedInputIsRefusedBeforeParsing() throws Exception {
        Tenants t = tenants();
        String acs = acsOf(t.a());
        List<String> before = HubFixtures.auditLines(base, t.a());
        Page big = postTo(acs, "A".repeat(300 * 1024));
        assertRefused(big, "request-too-large", 413, "33 body of 300 KB");
        HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(acs)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                                ("SAMLResponse=" + "A".repeat(1000)).getBytes(StandardCharsets.US_ASCII)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), "33 body of unknown length (chunked)");
        assertEquals("request-too-large", chunked.headers().firstValue("X-Hub-Sso-Failure").orElse(null));
        Page justOver = postTo(acs, "A".repeat(256 * 1024 + 4));
        assertRefused(justOver, "request-too-large", 400, "33 SAMLResponse just over 256 KB");
        assertNoSuccessSince(t.a(), before, "request-too-large");
    }

    /**
     * A body over the servlet container's own limit (about 2 MiB on Payara), to the ACS and to a Faces page: 413 with
     * the hub's own page, and nothing in the server log with a stack trace (before, the error page was itself a Faces
     * view that read the body again: a 500 and a stack trace in the log).
     */
    @Test
    @DisplayName("33 a body over the container's limit: 413 with the hub's page, no stack trace in the log")
    void aBodyOverTheContainersLimitGetsTheHubs413() throws Exception {
        Tenants t = tenants();
        List<String> logged = logged();
        String threeMiB = "A".repeat(3 * 1024 * 1024);
        Page atAcs = postTo(acsOf(t.a()), threeMiB);
        assertEquals(413, atAcs.status(), "33 3 MiB at the ACS");
        assertEquals("request-too-large", atAcs.header("X-Hub-Sso-Failure"));
        assertTrue(atAcs.contains("413 · Request too large"), atAcs::body);
        WebClient admin = t.admin();
        Page settings = admin.get("/organizations/" + t.a() + "/settings/sso");
        Page atPage = admin.post(settings.uri().toString(), Map.of("meta", "meta", "meta:metadata", threeMiB,
                "meta:fill", "fill", "jakarta.faces.ViewState", settings.viewState()));
        assertEquals(413, atPage.status(), "33 3 MiB to a Faces page");
        assertTrue(atPage.contains("413 · Request too large"), atPage::body);
        assertNoStackTrace(atPage, "33 3 MiB to a Faces page");
        Page login = new WebClient(URI.create(base.toString())).post("/login", Map.of("login:login", threeMiB));
        assertEquals(413, login.status(), "33 3 MiB to the sign-in page, no session");
        Thread.sleep(300);
        List<String> after = logged();
        assertEquals(List.of(), after.subList(logged.size(), after.size()), "nothing logged with a stack trace");
        assertEquals(200, admin.get("/organizations/" + t.a() + "/settings/sso").status(), "the hub goes on");
    }

    /** What the server logged with a stack trace or at SEVERE so far ({@link TestSupportServlet}). */
    private List<String> logged() {
        Page log = new WebClient(URI.create(base.toString())).get("/it-support/log");
        assertEquals(200, log.status());
        return log.body().isEmpty() ? List.of() : List.of(log.body().split("\n"));
    }

    @Test
    @DisplayName("34 deflate bomb: no redirect binding at the ACS, a deflated POST value is not inflated")
    void deflatedAnswersAreNeverInflated() throws Exception {
        Tenants t = tenants();
        String acs = acsOf(t.a());
        byte[] bomb = deflate(new byte[50 * 1024 * 1024]);
        assertTrue(bomb.length < 100 * 1024, "the bomb inflates more than 500x");
        String value = Base64.getEncoder().encodeToString(bomb);
        WebClient browser = new WebClient(URI.create(acs));
        Page redirectBinding = browser.get(acs + "?SAMLResponse=" + URLEncoder.encode(value.substring(0, 1000),
                StandardCharsets.UTF_8));
        assertEquals(405, redirectBinding.status(), "34 redirect binding (GET) at the ACS");
        assertNoStackTrace(redirectBinding, "34 GET");
        Page longUrl = browser.get(acs + "?SAMLResponse=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        assertTrue(longUrl.status() >= 400 && longUrl.status() < 500, "34 whole bomb in the URL: " + longUrl.status());
        assertNoStackTrace(longUrl, "34 GET, whole bomb");
        long start = System.nanoTime();
        Page posted = postTo(acs, value);
        assertRefused(posted, "malformed", 400, "34 deflated value posted");
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "answered without inflating");
    }

    @Test
    @DisplayName("35 malformed base64: 400 with no stack trace")
    void malformedBase64IsRefused() {
        Tenants t = tenants();
        WebClient attacker = fresh("b");
        Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        String valid = IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), attacker.username() + "@example.test")
                .encoded();
        Map<String, String> variants = new java.util.LinkedHashMap<>();
        variants.put("35 bad characters", "!!!*@@@");
        variants.put("35 bad padding", valid.substring(0, valid.length() - 3) + "=A=");
        variants.put("35 URL-safe alphabet", Base64.getUrlEncoder().encodeToString(Base64.getDecoder().decode(valid)));
        variants.put("35 trailing junk", valid + "$$junk<>");
        variants.put("35 double encoding", Base64.getEncoder().encodeToString(valid.getBytes(StandardCharsets.US_ASCII)));
        variants.put("35 NUL bytes in the XML", b64(xml(valid).replace("<saml:NameID", "\u0000<saml:NameID")));
        variants.put("35 not UTF-8", Base64.getEncoder().encodeToString(concat(new byte[] {(byte) 0xC3, (byte) 0x28,
                (byte) 0xFF}, Base64.getDecoder().decode(valid))));
        variants.put("35 empty", "");
        for (Map.Entry<String, String> v : variants.entrySet()) {
            List<String> before = HubFixtures.auditLines(base, t.a());
            Page refused = throughAcs(attacker, sent, postToAcs(sent, v.getValue()));
            assertRefused(refused, "malformed", 400, v.getKey());
            assertNoSuccessSince(t.a(), before, "malformed");
        }
        assertFalse(attacker.get("/" + t.a()).contains("id=\"my-role\""));
        Page none = new WebClient(URI.create(sent.acs())).post(sent.acs(), Map.of("RelayState", "x"));
        assertRefused(none, "malformed", 400, "35 no SAMLResponse at all");
    }

    @Test
    @DisplayName("36 redirect-binding parameters, duplicated parameters, %53AMLResponse")
    void duplicatedOrRedirectBindingParametersAreRefused() throws Exception {
        Tenants t = tenants();
        String acs = acsOf(t.a());
        WebClient browser = new WebClient(URI.create(acs));
        Page signedRedirect = browser.get(acs + "?SAMLResponse=x&SigAlg="
                + URLEncoder.encode("http://www.w3.org/2000/09/xmldsig#rsa-sha1", StandardCharsets.UTF_8)
                + "&Signature=AAAA");
        assertEquals(405, signedRedirect.status(), "36 redirect binding with SigAlg sha1");
        assertNoStackTrace(signedRedirect, "36 redirect binding");

        WebClient attacker = fresh("d");
        String email = attacker.username() + "@example.test";
        List<String> before = HubFixtures.auditLines(base, t.a());
        for (String variant : List.of("valid first", "valid second", "%53AMLResponse", "query string", "SigAlg")) {
            Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
            String valid = IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), email).encoded();
            String evil = IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), email).sign(Sign.NONE).encoded();
            String v = URLEncoder.encode(valid, StandardCharsets.UTF_8);
            String e = URLEncoder.encode(evil, StandardCharsets.UTF_8);
            Page refused = switch (variant) {
                case "valid first" -> rawPost(sent.acs(), "SAMLResponse=" + v + "&SAMLResponse=" + e);
                case "valid second" -> rawPost(sent.acs(), "SAMLResponse=" + e + "&SAMLResponse=" + v);
                case "%53AMLResponse" -> rawPost(sent.acs(), "SAMLResponse=" + v + "&%53AMLResponse=" + e);
                case "query string" -> rawPost(sent.acs() + "?SAMLResponse=" + e, "SAMLResponse=" + v);
                default -> rawPost(sent.acs(), "SAMLResponse=" + v + "&SigAlg=" + URLEncoder.encode(
                        "http://www.w3.org/2000/09/xmldsig#rsa-sha1", StandardCharsets.UTF_8) + "&Signature=AAAA");
            };
            assertRefused(throughAcs(attacker, sent, refused), "malformed", 400, "36 " + variant);
        }
        assertNothingChanged(attacker, t.a(), before, "malformed");
        // A single %53AMLResponse is the same parameter as SAMLResponse once decoded: a genuine answer still works.
        Sent sent = sent(attacker.get("/organizations/" + t.a() + "/sso"));
        Page ok = throughAcs(attacker, sent, rawPost(sent.acs(), "%53AMLResponse=" + URLEncoder.encode(
                IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(), email).encoded(), StandardCharsets.UTF_8)));
        assertEquals(200, ok.status(), ok::body);
    }

    // ---- forms without ViewState, session fixation, authorization -----------------------------------------

    @Test
    @DisplayName("ViewState: SSO settings and members forms posted without a valid ViewState change nothing")
    void settingsFormsNeedTheirViewState() {
        Tenants t = tenants();
        WebClient admin = t.admin();
        String org = HubFixtures.newOrg(admin, "vs");
        String settings = "/organizations/" + org + "/settings/sso";
        Map<String, Map<String, String>> forms = Map.of(
                "saml", Map.of("saml", "saml", "saml:signOnUrl", "http://127.0.0.1:9/evil", "saml:idpIssuer",
                        "http://evil.test", "saml:certificate", IDP_B.certificatePem(), "saml:emailAttribute",
                        "email", "saml:clockSkew", "120", "saml:test", "test"),
                "state", Map.of("state", "state", "state:enable", "Enable SSO"),
                "meta", Map.of("meta", "meta", "meta:metadata", "<x/>", "meta:fill", "fill"));
        for (Map.Entry<String, Map<String, String>> form : forms.entrySet()) {
            for (String viewState : Arrays.asList(null, "1234567890:-987654321", "stateless")) {
                Map<String, String> body = new java.util.HashMap<>(form.getValue());
                if (viewState != null) {
                    body.put("jakarta.faces.ViewState", viewState);
                }
                Page posted = admin.post(settings, body);
                assertNotEquals(302, posted.status(), form.getKey() + " " + viewState);
                assertTrue(posted.status() < 500, posted::body);
                assertNoStackTrace(posted, "ViewState " + form.getKey());
            }
        }
        Page after = admin.get(settings);
        assertTrue(after.contains("id=\"sso-state\">disabled"), "not enabled");
        assertFalse(after.contains("http://evil.test"), "settings unchanged");
        assertTrue(HubFixtures.auditLines(base, org).stream().noneMatch(l -> l.startsWith("sso.settings") || l.startsWith("sso.enable")),
                "nothing audited as changed: " + HubFixtures.auditLines(base, org));

        WebClient someone = fresh("vsm");
        String members = "/organizations/" + org + "/settings/members";
        Page added = admin.post(members, Map.of("add", "add", "add:username", someone.username(), "add:role", "admin",
                "add:submit", "Add", "jakarta.faces.ViewState", "1234567890:-987654321"));
        assertNotEquals(302, added.status());
        assertFalse(admin.get(members).contains("data-username=\"" + someone.username() + "\""), "not added");
        // A ViewState of another page (the members page) does not post the SSO form either.
        Page crossed = admin.post(settings, Map.of("state", "state", "state:enable", "Enable SSO",
                "jakarta.faces.ViewState", admin.get(members).viewState()));
        assertNotEquals(302, crossed.status());
        assertTrue(admin.get(settings).contains("id=\"sso-state\">disabled"));
    }

    @Test
    @DisplayName("session fixation: a planted session id is not adopted; the id changes at sign-in and at SSO")
    void sessionIdsChangeAtSignInAndAtSso() {
        Tenants t = tenants();
        // The attacker gets a session id from the hub and plants it in the victim's browser.
        WebClient attacker = new WebClient(URI.create(base.toString()));
        attacker.get("/login");
        String planted = attacker.cookie("HUBSESSION");
        assertNotNull(planted);
        WebClient victim = fresh("sf");
        WebClient victimBrowser = new WebClient(URI.create(base.toString()));
        victimBrowser.plantCookie(attacker, "HUBSESSION");
        assertEquals(planted, victimBrowser.cookie("HUBSESSION"));
        Page form = victimBrowser.get("/login");
        Page signedIn = victimBrowser.submit(form, "login", "submit", Map.of("login", victim.username(),
                "password", HubFixtures.PASSWORD));
        assertEquals(302, signedIn.status(), signedIn::body);
        String afterSignIn = victimBrowser.cookie("HUBSESSION");
        assertNotEquals(planted, afterSignIn, "a new session id at sign-in");
        assertFalse(attacker.get("/account").contains(victim.username()), "the planted id is not signed in");

        // At SSO: the session id before the sign-in through the IdP is worth nothing afterwards.
        Sent sent = sent(victimBrowser.get("/organizations/" + t.a() + "/sso"));
        String beforeSso = victimBrowser.cookie("HUBSESSION");
        WebClient holder = new WebClient(URI.create(base.toString()));
        holder.plantCookie(victimBrowser, "HUBSESSION");
        Page acs = postToAcs(sent, IDP_A.answer(sent.id(), sent.spEntityId(), sent.acs(),
                victim.username() + "@example.test").encoded());
        Page done = victimBrowser.follow(victimBrowser.get(absolute(sent, acs.location())));
        assertEquals(200, done.status(), done::body);
        assertTrue(done.contains("id=\"my-role\""));
        assertNotEquals(beforeSso, victimBrowser.cookie("HUBSESSION"), "a new session id at SSO");
        assertFalse(holder.get("/" + t.a()).contains("id=\"my-role\""), "the old id has no SSO session");
    }

    @Test
    @DisplayName("authorization: members below admin cannot see or post the SSO settings")
    void onlyAdminsReachTheSsoSettings() {
        Tenants t = tenants();
        WebClient writer = fresh("wr");
        HubFixtures.addMember(t.admin(), t.a(), writer.username(), "write");
        SamlFlow.roundTrip(writer, IDP_A, writer.get("/organizations/" + t.a() + "/sso"),
                writer.username() + "@example.test");
        Page settings = writer.get("/organizations/" + t.a() + "/settings/sso");
        assertTrue(settings.status() == 404 || settings.status() == 403, "settings: " + settings.status());
        assertFalse(settings.contains("sp-entity-id"));
        Page posted = writer.post("/organizations/" + t.a() + "/settings/sso", Map.of("state", "state",
                "state:disable", "Disable SSO", "jakarta.faces.ViewState", writer.get("/" + t.a()).body()
                        .contains("jakarta.faces.ViewState") ? writer.get("/" + t.a()).viewState() : "x"));
        assertNotEquals(302, posted.status());
        assertTrue(t.admin().get("/organizations/" + t.a() + "/settings/sso").contains("id=\"sso-state\">enabled"));
        Page anonymous = new WebClient(URI.create(base.toString())).get("/organizations/" + t.a() + "/settings/sso");
        assertTrue(anonymous.status() == 404 || anonymous.status() == 302, "anonymous: " + anonymous.status());
    }

    // ---- assertions ---------------------------------------------------------------------------------------

    private static void assertRefused(Page page, String reason, int status) {
        assertRefused(page, reason, status, reason);
    }

    private static void assertRefused(Page page, String reason, int status, String what) {
        assertEquals(status, page.status(), () -> what + ": " + page.path() + "\n" + page.body());
        assertEquals(reason, page.header("X-Hub-Sso-Failure"), what);
        assertTrue(page.contains("<html") || page.contains("<!DOCTYPE html"), what + ": an error page");
        assertNoStackTrace(page, what);
    }

    private static void assertNoStackTrace(Page page, String what) {
        for (String leak : List.of("Exception", "\tat ", ".java:", "Caused by", "org.keycloak", "org.hubsso.",
                "com.nimbusds", "jakarta.servlet", "jakarta.ejb", "StackOverflow", "Error:")) {
            assertFalse(page.contains(leak), what + ": the page shows " + leak);
        }
    }

    /** The attacker did not join; a failure with the reason was audited; no success, join or session. */
    private void assertNothingChanged(WebClient attacker, String org, List<String> before, String reason) {
        Page page = attacker.get("/" + org);
        assertFalse(page.contains("id=\"my-role\""), "the attacker did not join " + org);
        assertNoSuccessSince(org, before, reason);
    }

    private void assertNoSuccessSince(String org, List<String> before, String reason) {
        List<String> after = HubFixtures.auditLines(base, org);
        List<String> added = after.subList(0, after.size() - before.size());
        assertTrue(added.stream().noneMatch(l -> l.contains(" success")), "no success recorded: " + added);
        assertTrue(added.stream().anyMatch(l -> l.startsWith("sso.login failure " + reason + " ")),
                "a failure " + reason + " recorded: " + added);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    /** Follows the ACS's answer in the attacker's browser when it sends there (a failure of a known sign-in). */
    private static Page throughAcs(WebClient browser, Sent sent, Page acs) {
        assertTrue(acs.status() != 500, () -> "the ACS failed: " + acs.body());
        if (acs.status() == 303 && acs.location().contains("/sso/complete")) {
            return browser.follow(browser.get(absolute(sent, acs.location())));
        }
        return acs;
    }

    private static Page postTo(String acs, String samlResponse) {
        return new WebClient(URI.create(acs)).post(acs, Map.of("SAMLResponse", samlResponse));
    }

    private static Page postTo(String acs, String samlResponse, String name, String value) {
        return new WebClient(URI.create(acs)).post(acs, Map.of("SAMLResponse", samlResponse, name, value));
    }

    /** A form post with exactly this body, as a hand-made form could send it. */
    private static Page rawPost(String url, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(request.uri(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    private static String roleOf(WebClient admin, String org, String username) {
        String[] rows = admin.get("/organizations/" + org + "/settings/members").body().split("<tr class=\"member\"");
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].contains("data-username=\"" + username + "\"")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("<option value=\"(\\w+)\" selected")
                        .matcher(rows[i]);
                return m.find() ? m.group(1) : rows[i];
            }
        }
        return null;
    }

    private String acsOf(String org) {
        return SamlFlow.between(tenants().admin().get("/organizations/" + org + "/settings/sso").body(),
                "id=\"acs-url\">", "<");
    }

    private WebClient fresh(String prefix) {
        return HubFixtures.verifiedMember(URI.create(base.toString()), prefix + "-" + HubFixtures.suffix());
    }

    /** Tenants A and B with IdPs of their own, C sharing A's IdP; all enforce SSO. Set up once per class. */
    private Tenants tenants() {
        if (tenants == null) {
            WebClient admin = new WebClient(URI.create(base.toString()));
            admin.signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);
            String a = HubFixtures.newOrg(admin, "ta");
            String b = HubFixtures.newOrg(admin, "tb");
            String c = HubFixtures.newOrg(admin, "tc");
            SamlFlow.enable(admin, a, IDP_A);
            SamlFlow.enable(admin, b, IDP_B);
            SamlFlow.enable(admin, c, IDP_A);
            tenants = new Tenants(admin, a, b, c);
        }
        return tenants;
    }

    // ---- documents ----------------------------------------------------------------------------------------

    static String xml(String encoded) {
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    static String b64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String utf16(String xml) {
        String body = xml.replaceFirst("^<\\?xml[^>]*\\?>", "");
        return Base64.getEncoder().encodeToString(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + body)
                .getBytes(StandardCharsets.UTF_16));
    }

    static String withProlog(String encoded, String doctype) {
        return b64(withPrologXml(xml(encoded), doctype));
    }

    static String withPrologXml(String xml, String doctype) {
        int root = xml.indexOf("<samlp:Response");
        return xml.substring(0, root) + doctype + xml.substring(root);
    }

    static String forged(Ctx x, Forge forge) {
        return TestIdp.mutate(x.answer().sign(Sign.NONE).encoded(),
                doc -> forge.signAssertion(doc, IDP_A.keys.getPrivate()));
    }

    static String forgedWith(Ctx x, Forge forge, java.security.Key key) {
        return TestIdp.mutate(x.answer().sign(Sign.NONE).encoded(), doc -> forge.signAssertion(doc, key));
    }

    static SecretKeySpec hmacKey() {
        try {
            return new SecretKeySpec(IDP_A.certificate.getEncoded(), "HmacSHA1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Element unsigned(Element signed, String id) {
        Element copy = (Element) signed.cloneNode(true);
        NodeList signatures = copy.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        for (int i = signatures.getLength() - 1; i >= 0; i--) {
            signatures.item(i).getParentNode().removeChild(signatures.item(i));
        }
        copy.setAttribute("ID", id);
        return copy;
    }

    static void removeAll(Document doc, String ns, String localName) {
        NodeList found = doc.getElementsByTagNameNS(ns, localName);
        for (int i = found.getLength() - 1; i >= 0; i--) {
            Node n = found.item(i);
            n.getParentNode().removeChild(n);
        }
    }

    static Element childIssuer(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Issuer".equals(e.getLocalName())) {
                return e;
            }
        }
        throw new AssertionError("no Issuer");
    }

    /** The organization's published encryption key, read from its SP metadata as an attacker can. */
    static java.security.PublicKey spEncryptionKey(Ctx x) {
        String metadata = new WebClient(URI.create(x.sent().spEntityId())).get(x.sent().spEntityId()).body();
        String der = SamlFlow.between(metadata.substring(metadata.indexOf("use=\"encryption\"")),
                "X509Certificate>", "<").strip();
        try {
            return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(Base64.getMimeDecoder().decode(der))).getPublicKey();
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EncryptedAssertion without an EncryptedKey, as an attacker without any key can make one. */
    static Element encryptedAssertion(Document doc) {
        String xenc = "http://www.w3.org/2001/04/xmlenc#";
        Element encrypted = doc.createElementNS(ASSERTION_NS, "saml:EncryptedAssertion");
        Element data = doc.createElementNS(xenc, "xenc:EncryptedData");
        data.setAttribute("Type", xenc + "Element");
        Element method = doc.createElementNS(xenc, "xenc:EncryptionMethod");
        method.setAttribute("Algorithm", "http://www.w3.org/2009/xmlenc11#aes256-gcm");
        Element cipher = doc.createElementNS(xenc, "xenc:CipherData");
        Element value = doc.createElementNS(xenc, "xenc:CipherValue");
        value.setTextContent(Base64.getEncoder().encodeToString(new byte[64]));
        cipher.appendChild(value);
        data.appendChild(method);
        data.appendChild(cipher);
        encrypted.appendChild(data);
        return encrypted;
    }

    static byte[] deflate(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, true))) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // ---- the loopback listener ----------------------------------------------------------------------------

    static synchronized Listener listener() throws IOException {
        if (listener == null) {
            listener = new Listener();
        }
        return listener;
    }

    @AfterAll
    static void closeListener() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    /** Counts every connection to a loopback port, and what the first line of each said. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());

        Listener() throws IOException {
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        s.setSoTimeout(1000);
                        InputStream in = s.getInputStream();
                        byte[] line = in.readNBytes(200);
                        heard.add(new String(line, StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        // closed, or the client went away
                    }
                }
            }, "xxe-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<String> heard() {
            return heard;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
