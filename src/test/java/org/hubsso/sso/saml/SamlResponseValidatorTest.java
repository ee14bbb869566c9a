package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.TestIdp.ASSERTION_NS;
import static org.hubsso.sso.saml.TestIdp.PROTOCOL_NS;
import static org.hubsso.sso.saml.TestIdp.assertion;
import static org.hubsso.sso.saml.TestIdp.first;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.ValidatedAnswer;
import org.hubsso.sso.SsoFailure.Reason;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.saml.SignatureAlgorithm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The ACS checklist, one test per item: each starts from a valid response of the in-test IdP, changes exactly
 * that item, and expects that item's reason code.
 */
class SamlResponseValidatorTest {

    static final String SP = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/metadata";
    static final String ACS = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/acs";
    static final String REQUEST = "_request-1";

    static TestIdp idp;
    static TestIdp attacker;
    static Expectations expect;

    @BeforeAll
    static void idps() {
        idp = new TestIdp("http://idp.test/realms/acme");
        attacker = new TestIdp("http://idp.test/realms/acme");
        expect = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "", false);
    }

    static TestIdp.Answer valid() {
        return idp.answer(REQUEST, SP, ACS, "Alice@Acme.test");
    }

    static ValidatedAnswer accept(String encoded) throws SsoFailure {
        return SamlResponseValidator.validate(encoded, expect, Instant.now());
    }

    static void rejects(Reason reason, String encoded) {
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(encoded));
        assertEquals(reason, failure.reason(), failure.detail());
    }

    static Consumer<Document> onAssertion(String element, String attribute, String value) {
        return doc -> {
            Element e = first(doc, ASSERTION_NS, element);
            if (value == null) {
                e.removeAttribute(attribute);
            } else {
                e.setAttribute(attribute, value);
            }
        };
    }

    /** The first descendant of {@code parent} with that name (not of the whole document). */
    static Element within(Element parent, String ns, String localName) {
        return (Element) parent.getElementsByTagNameNS(ns, localName).item(0);
    }

    // ---- accepted ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Sign.class, names = {"ASSERTION", "RESPONSE", "BOTH"})
    void acceptsAValidResponseSignedOnTheAssertionTheResponseOrBoth(Sign sign) throws SsoFailure {
        ValidatedAnswer v = accept(valid().sign(sign).encoded());
        IdpIdentity who = v.identity();
        assertEquals(REQUEST, v.requestId());
        assertEquals("Alice@Acme.test", who.email(), "email NameID");
        assertEquals("Alice@Acme.test", who.subject());
        assertEquals(idp.entityId, who.issuer());
        assertEquals(List.of("hub-admins", "ml-team"), who.attributes().get("groups"));
        assertTrue(Math.abs(who.skewMillis()) < 60_000, "measured skew " + who.skewMillis());
        assertTrue(v.keepUntil().isAfter(Instant.now().plus(Duration.ofMinutes(4))), "kept until " + v.keepUntil());
        assertTrue(who.attributesJson().contains("\"nameId\":\"Alice@Acme.test\""), who.attributesJson());
    }

    @Test
    void takesTheEmailFromTheConfiguredAttributeWhenTheNameIdIsNoEmail() throws SsoFailure {
        String encoded = valid().tweak(doc -> {
            Element nameId = first(doc, ASSERTION_NS, "NameID");
            nameId.setAttribute("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
            nameId.setTextContent("u-4711");
        }).encoded();
        IdpIdentity who = accept(encoded).identity();
        assertEquals("u-4711", who.subject());
        assertEquals("Alice@Acme.test", who.email());
    }

    @Test
    void acceptsAClockSkewWithinTheAllowance() throws SsoFailure {
        Instant ahead = Instant.now().plus(Duration.ofSeconds(90));
        accept(valid().tweak(onAssertion("Conditions", "NotBefore", ahead.toString())).encoded());
    }

    // ---- signature ---------------------------------------------------------------------------------------

    @Test
    void rejectsAnUnsignedResponse() {
        rejects(Reason.SIGNATURE_INVALID, valid().sign(Sign.NONE).encoded());
    }

    @ParameterizedTest
    @EnumSource(value = Sign.class, names = {"ASSERTION", "RESPONSE", "BOTH"})
    void rejectsASignatureByAnotherKeyEvenWithThatKeyInKeyInfo(Sign sign) {
        rejects(Reason.SIGNATURE_INVALID, valid().sign(sign).signedBy(attacker).encoded());
    }

    @ParameterizedTest
    @EnumSource(value = Sign.class, names = {"ASSERTION", "RESPONSE"})
    void rejectsAChangeAfterSigning(Sign sign) {
        String signed = valid().sign(sign).encoded();
        rejects(Reason.SIGNATURE_INVALID, TestIdp.mutate(signed,
                doc -> first(doc, ASSERTION_NS, "NameID").setTextContent("mallory@evil.test")));
    }

    @Test
    void rejectsSha1Signatures() {
        rejects(Reason.SIGNATURE_ALGORITHM, valid().algorithm(SignatureAlgorithm.RSA_SHA1).encoded());
    }

    /** This JVM runs with the JDK's default policy: an organization's switch alone does not make SHA-1 verify. */
    @Test
    void explainsThatTheServerRefusesSha1WhenTheOrganizationAllowsIt() {
        assumeFalse(LegacySha1.jvmAllows(), "this JVM was started with the legacy SHA-1 policy");
        Expectations legacy = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2),
                "email", true);
        SsoFailure failure = assertThrows(SsoFailure.class, () -> SamlResponseValidator.validate(
                valid().algorithm(SignatureAlgorithm.RSA_SHA1).encoded(), legacy, Instant.now()));
        assertEquals(Reason.SIGNATURE_ALGORITHM, failure.reason());
        assertTrue(failure.detail().contains("xmldsig-legacy-sha1.security"), failure.detail());
    }

    // ---- structure and wrapping --------------------------------------------------------------------------

    @Test
    void rejectsTheSignedAssertionMovedAsideForAnUnsignedOne() {
        String signed = valid().sign(Sign.ASSERTION).encoded();
        rejects(Reason.ASSERTION_COUNT, TestIdp.mutate(signed, doc -> {
            Element response = doc.getDocumentElement();
            Element original = assertion(doc);
            Element evil = (Element) original.cloneNode(true);
            evil.removeChild(within(evil, XMLSignature.XMLNS, "Signature"));
            evil.setAttribute("ID", "_evil");
            evil.getElementsByTagNameNS(ASSERTION_NS, "NameID").item(0).setTextContent("mallory@evil.test");
            Element extensions = doc.createElementNS(PROTOCOL_NS, "samlp:Extensions");
            response.insertBefore(extensions, first(doc, PROTOCOL_NS, "Status"));
            response.replaceChild(evil, original);
            extensions.appendChild(original);
        }));
    }

    @Test
    void rejectsASecondAssertion() {
        String signed = valid().sign(Sign.RESPONSE).tweak(doc -> {
            Element copy = (Element) assertion(doc).cloneNode(true);
            copy.setAttribute("ID", "_second");
            doc.getDocumentElement().appendChild(copy);
        }).encoded();
        rejects(Reason.ASSERTION_COUNT, signed);
    }

    @Test
    void rejectsAnEvilAssertionPlacedBeforeTheSignedOne() {
        String signed = valid().sign(Sign.ASSERTION).encoded();
        rejects(Reason.ASSERTION_COUNT, TestIdp.mutate(signed, doc -> {
            Element original = assertion(doc);
            Element evil = (Element) original.cloneNode(true);
            evil.setAttribute("ID", "_evil");
            evil.removeChild(within(evil, XMLSignature.XMLNS, "Signature"));
            doc.getDocumentElement().insertBefore(evil, original);
        }));
    }

    @Test
    void rejectsTheWholeSignedResponseWrappedInAnother() {
        // The inner, signed Response still holds its assertion: two assertions in the document.
        String signed = valid().sign(Sign.RESPONSE).encoded();
        rejects(Reason.ASSERTION_COUNT, TestIdp.mutate(signed, doc -> {
            Element original = doc.getDocumentElement();
            Element outer = (Element) original.cloneNode(true);
            outer.setAttribute("ID", "_outer");
            outer.removeChild(within(outer, XMLSignature.XMLNS, "Signature"));
            Element evilAssertion = (Element) outer.getElementsByTagNameNS(ASSERTION_NS, "Assertion").item(0);
            outer.removeChild(evilAssertion);
            Element extensions = doc.createElementNS(PROTOCOL_NS, "samlp:Extensions");
            doc.replaceChild(outer, original);
            outer.insertBefore(extensions, within(outer, PROTOCOL_NS, "Status"));
            extensions.appendChild(original);
            outer.appendChild(evilAssertion);
        }));
    }

    @Test
    void rejectsADoctype() {
        String signed = valid().encoded();
        String xml = new String(Base64.getDecoder().decode(signed), StandardCharsets.UTF_8);
        String withDoctype = xml.replaceFirst("<samlp:Response", "<!DOCTYPE r [<!ENTITY x \"y\">]><samlp:Response");
        rejects(Reason.DOCTYPE_REJECTED, Base64.getEncoder().encodeToString(withDoctype.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsDeeplyNestedElementsBeforeTheRecursiveParts() {
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(nestedInExtensions(10_000)));
        assertEquals(Reason.MALFORMED, failure.reason(), failure.detail());
        assertEquals("The response nests elements more than 64 deep.", failure.detail());
    }

    @Test
    void acceptsSixtyFourLevelsAndRefusesSixtyFive() throws SsoFailure {
        // Response (1) > Extensions (2) > x ...: 62 x elements make 64 levels, 63 make 65.
        assertEquals(REQUEST, accept(nestedInExtensions(62)).requestId());
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(nestedInExtensions(63)));
        assertEquals(Reason.MALFORMED, failure.reason(), failure.detail());
        assertEquals("The response nests elements more than 64 deep.", failure.detail());
    }

    @Test
    void rejectsXmlThatIsNotWellFormed() {
        String xml = new String(Base64.getDecoder().decode(valid().encoded()), StandardCharsets.UTF_8);
        String broken = xml.replaceFirst("</samlp:Response>", "</samlp:Respons>");
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(Base64.getEncoder().encodeToString(
                broken.getBytes(StandardCharsets.UTF_8))));
        assertEquals(Reason.MALFORMED, failure.reason(), failure.detail());
        assertEquals("The SAMLResponse is not well-formed XML.", failure.detail());
    }

    /** A valid response (signed on the assertion) with {@code depth} nested elements in unsigned Extensions. */
    static String nestedInExtensions(int depth) {
        String xml = new String(Base64.getDecoder().decode(valid().encoded()), StandardCharsets.UTF_8);
        int at = xml.indexOf("<samlp:Status");
        String nested = "<samlp:Extensions>" + "<x>".repeat(depth) + "</x>".repeat(depth) + "</samlp:Extensions>";
        return Base64.getEncoder().encodeToString((xml.substring(0, at) + nested + xml.substring(at))
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsOversizedAndMalformedInput() {
        rejects(Reason.REQUEST_TOO_LARGE, "A".repeat(SamlResponseValidator.MAX_ENCODED + 4));
        rejects(Reason.MALFORMED, "not base64 at all!");
        rejects(Reason.MALFORMED, Base64.getEncoder().encodeToString("<a>not saml</a>".getBytes(StandardCharsets.UTF_8)));
        rejects(Reason.MALFORMED, "");
    }

    // ---- status, destination, issuers, audience ----------------------------------------------------------

    @Test
    void rejectsAStatusOtherThanSuccess() {
        rejects(Reason.STATUS_NOT_SUCCESS, valid().sign(Sign.BOTH).tweak(doc -> first(doc, PROTOCOL_NS, "StatusCode")
                .setAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")).encoded());
    }

    /**
     * An IdP's error answer (no assertion at all, as SimpleSAMLphp sends when it cannot serve the request) is reported
     * in the IdP's words, before any assertion check: code, sub-code and message, cut and without control characters.
     */
    @Test
    void reportsTheIdpsOwnStatusBeforeLookingForAnAssertion() {
        String encoded = valid().sign(Sign.NONE).tweak(doc -> {
            Element assertion = first(doc, ASSERTION_NS, "Assertion");
            assertion.getParentNode().removeChild(assertion);
            Element code = first(doc, PROTOCOL_NS, "StatusCode");
            code.setAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder");
            Element sub = doc.createElementNS(PROTOCOL_NS, "samlp:StatusCode");
            sub.setAttribute("Value", "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy");
            code.appendChild(sub);
            Element message = doc.createElementNS(PROTOCOL_NS, "samlp:StatusMessage");
            message.setTextContent("Missing certificate\n\tin <metadata>" + "x".repeat(400));
            code.getParentNode().appendChild(message);
        }).encoded();
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(encoded));
        assertEquals(Reason.STATUS_NOT_SUCCESS, failure.reason(), failure.detail());
        assertTrue(failure.detail().startsWith("The identity provider answered Responder / InvalidNameIDPolicy:"
                + " \u201cMissing certificate  in <metadata>xxx"), failure.detail());
        assertTrue(failure.detail().length() < 420, "the IdP's message is cut: " + failure.detail().length());
    }

    @Test
    void rejectsAnotherDestinationOrNone() {
        rejects(Reason.DESTINATION_MISMATCH, valid().sign(Sign.BOTH)
                .tweak(doc -> doc.getDocumentElement().setAttribute("Destination", ACS.replace("0123", "9999"))).encoded());
        rejects(Reason.DESTINATION_MISMATCH, valid().sign(Sign.BOTH)
                .tweak(doc -> doc.getDocumentElement().removeAttribute("Destination")).encoded());
    }

    @Test
    void rejectsAnotherResponseIssuer() {
        rejects(Reason.RESPONSE_ISSUER_MISMATCH, valid().sign(Sign.BOTH).tweak(doc -> ((Element) doc.getDocumentElement()
                .getElementsByTagNameNS(ASSERTION_NS, "Issuer").item(0)).setTextContent("http://evil.test")).encoded());
    }

    @Test
    void rejectsAnotherAssertionIssuer() {
        rejects(Reason.ASSERTION_ISSUER_MISMATCH, valid().tweak(doc -> ((Element) assertion(doc)
                .getElementsByTagNameNS(ASSERTION_NS, "Issuer").item(0)).setTextContent("http://evil.test")).encoded());
    }

    @Test
    void rejectsAnAssertionForAnotherAudience() {
        rejects(Reason.AUDIENCE_MISMATCH, valid().tweak(doc -> first(doc, ASSERTION_NS, "Audience")
                .setTextContent(SP.replace("0123", "9999"))).encoded());
    }

    // ---- subject confirmation ----------------------------------------------------------------------------

    @Test
    void rejectsAnAssertionWithoutBearerConfirmation() {
        rejects(Reason.SUBJECT_CONFIRMATION_MISSING, valid().tweak(onAssertion("SubjectConfirmation", "Method",
                "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")).encoded());
    }

    @Test
    void rejectsAnotherRecipientOrNone() {
        rejects(Reason.RECIPIENT_MISMATCH, valid().tweak(onAssertion("SubjectConfirmationData", "Recipient",
                "http://evil.test/acs")).encoded());
        rejects(Reason.RECIPIENT_MISMATCH, valid().tweak(onAssertion("SubjectConfirmationData", "Recipient", null))
                .encoded());
    }

    @Test
    void rejectsAnExpiredOrOpenEndedSubjectConfirmation() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        rejects(Reason.SUBJECT_CONFIRMATION_EXPIRED, valid().tweak(onAssertion("SubjectConfirmationData",
                "NotOnOrAfter", past.toString())).encoded());
        rejects(Reason.SUBJECT_CONFIRMATION_EXPIRED, valid().tweak(onAssertion("SubjectConfirmationData",
                "NotOnOrAfter", null)).encoded());
    }

    @Test
    void rejectsABearerConfirmationWithNotBefore() {
        rejects(Reason.SUBJECT_CONFIRMATION_NOT_BEFORE, valid().tweak(onAssertion("SubjectConfirmationData",
                "NotBefore", Instant.now().minus(Duration.ofMinutes(1)).toString())).encoded());
    }

    @Test
    void rejectsUnsolicitedResponses() {
        rejects(Reason.UNSOLICITED_RESPONSE, valid().sign(Sign.BOTH)
                .tweak(doc -> doc.getDocumentElement().removeAttribute("InResponseTo")).encoded());
    }

    @Test
    void rejectsAConfirmationForAnotherRequest() {
        rejects(Reason.IN_RESPONSE_TO_MISMATCH, valid().tweak(onAssertion("SubjectConfirmationData", "InResponseTo",
                "_another-request")).encoded());
        rejects(Reason.IN_RESPONSE_TO_MISMATCH, valid().tweak(onAssertion("SubjectConfirmationData", "InResponseTo",
                null)).encoded());
    }

    // ---- validity window and statements ------------------------------------------------------------------

    @Test
    void rejectsAnAssertionWithoutValidityWindow() {
        rejects(Reason.CONDITIONS_MISSING, valid().tweak(onAssertion("Conditions", "NotOnOrAfter", null)).encoded());
        rejects(Reason.CONDITIONS_MISSING, valid().tweak(onAssertion("Conditions", "NotBefore", null)).encoded());
    }

    @Test
    void rejectsAnAssertionNotValidYetAndReportsTheSkew() {
        Instant future = Instant.now().plus(Duration.ofMinutes(10));
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(valid()
                .tweak(onAssertion("Conditions", "NotBefore", future.toString())).encoded()));
        assertEquals(Reason.NOT_YET_VALID, failure.reason());
        assertTrue(failure.detail().contains("allowed clock skew 120 s"), failure.detail());
        assertTrue(failure.skewMillis() != null);
    }

    /**
     * An answer issued in the future beyond the allowed skew (Response or Assertion IssueInstant) is refused, even with
     * a validity window that already holds: otherwise an answer could be made now to be used later.
     */
    @Test
    void rejectsAnAnswerIssuedInTheFuture() {
        String later = Instant.now().plus(Duration.ofMinutes(10)).toString();
        SsoFailure assertion = assertThrows(SsoFailure.class, () -> accept(valid()
                .tweak(onAssertion("Assertion", "IssueInstant", later)).encoded()));
        assertEquals(Reason.NOT_YET_VALID, assertion.reason(), assertion.detail());
        assertTrue(assertion.detail().startsWith("Assertion issued at"), assertion.detail());
        SsoFailure response = assertThrows(SsoFailure.class, () -> accept(valid()
                .tweak(doc -> doc.getDocumentElement().setAttribute("IssueInstant", later)).encoded()));
        assertEquals(Reason.NOT_YET_VALID, response.reason(), response.detail());
        assertTrue(response.detail().startsWith("Response issued at"), response.detail());
        // Within the allowed skew (120 s here) both are accepted.
        String soon = Instant.now().plus(Duration.ofSeconds(60)).toString();
        assertDoesNotThrow(() -> accept(valid().tweak(onAssertion("Assertion", "IssueInstant", soon))
                .tweak(doc -> doc.getDocumentElement().setAttribute("IssueInstant", soon)).encoded()));
    }

    @Test
    void rejectsAnExpiredAssertion() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        rejects(Reason.EXPIRED, valid().tweak(onAssertion("Conditions", "NotOnOrAfter", past.toString())).encoded());
    }

    @Test
    void rejectsTimesWithoutTimeZone() {
        rejects(Reason.MALFORMED, valid().tweak(onAssertion("Conditions", "NotOnOrAfter", "2099-01-01T00:00:00"))
                .encoded());
    }

    @Test
    void rejectsAnAssertionWithoutAuthnStatement() {
        rejects(Reason.AUTHN_STATEMENT_MISSING, valid().tweak(doc -> {
            Element statement = first(doc, ASSERTION_NS, "AuthnStatement");
            statement.getParentNode().removeChild(statement);
        }).encoded());
    }

    /** The NameID made transient and the attributes replaced by these (name, NameFormat, value triples). */
    static Consumer<Document> transientWith(String... attributes) {
        return doc -> {
            Element nameId = first(doc, ASSERTION_NS, "NameID");
            nameId.setAttribute("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
            nameId.setTextContent("_7f3a9c");
            Element statement = first(doc, ASSERTION_NS, "AttributeStatement");
            while (statement.getFirstChild() != null) {
                statement.removeChild(statement.getFirstChild());
            }
            for (int i = 0; i < attributes.length; i += 3) {
                Element attribute = doc.createElementNS(ASSERTION_NS, "saml:Attribute");
                attribute.setAttribute("Name", attributes[i]);
                attribute.setAttribute("NameFormat", attributes[i + 1]);
                Element value = doc.createElementNS(ASSERTION_NS, "saml:AttributeValue");
                value.setTextContent(attributes[i + 2]);
                attribute.appendChild(value);
                statement.appendChild(attribute);
            }
        };
    }

    static final String URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
    static final String BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";

    /** As SimpleSAMLphp, Shibboleth, ADFS and Entra ID send the address, with no attribute named in the settings. */
    @Test
    void findsTheEmailWhereIdpsSendItByDefault() throws SsoFailure {
        assertEquals("bob@acme.test", accept(valid().tweak(transientWith("mail", BASIC, "bob@acme.test")).encoded())
                .identity().email());
        assertEquals("bob@acme.test", accept(valid().tweak(transientWith("urn:oid:0.9.2342.19200300.100.1.3", URI,
                "bob@acme.test", "urn:oid:2.5.4.42", URI, "Bob")).encoded()).identity().email());
        assertEquals("bob@acme.test", accept(valid().tweak(transientWith(
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", URI, "bob@acme.test"))
                .encoded()).identity().email());
        assertEquals("bob@acme.test", accept(valid().tweak(transientWith("mail", BASIC, "bob@acme.test",
                "urn:oid:0.9.2342.19200300.100.1.3", URI, "Bob@Acme.test")).encoded()).identity().email(),
                "one address under two names is one address");
    }

    /** SimpleSAMLphp's URI NameFormat: the OID is the Name, "mail" the FriendlyName; either names the values. */
    @Test
    void friendlyNamesAreSecondKeysOfTheSameValues() throws SsoFailure {
        String answer = valid().tweak(transientWith("urn:oid:0.9.2342.19200300.100.1.3", URI, "bob@acme.test",
                "urn:oid:1.3.6.1.4.1.5923.1.1.1.7", URI, "hub-admins")).tweak(doc -> {
                    org.w3c.dom.NodeList all = doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute");
                    ((Element) all.item(0)).setAttribute("FriendlyName", "mail");
                    ((Element) all.item(1)).setAttribute("FriendlyName", "eduPersonEntitlement");
                }).encoded();
        IdpIdentity identity = accept(answer).identity();
        assertEquals("bob@acme.test", identity.email());
        assertEquals(List.of("hub-admins"), identity.attributes().get("eduPersonEntitlement"));
        assertEquals(List.of("hub-admins"), identity.attributes().get("urn:oid:1.3.6.1.4.1.5923.1.1.1.7"));
        assertEquals(List.of("bob@acme.test"), identity.attributes().get("mail"));
    }

    @Test
    void refusesTwoDifferentAddressesUnlessTheAdminNamedOne() throws SsoFailure {
        String two = valid().tweak(transientWith("email", BASIC, "bob@acme.test", "mail", BASIC, "robert@acme.test"))
                .encoded();
        SsoFailure failure = assertThrows(SsoFailure.class, () -> accept(two));
        assertEquals(Reason.EMAIL_MISSING, failure.reason());
        assertTrue(failure.detail().contains("email, mail hold 2 different addresses"), failure.detail());
        Expectations named = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "mail",
                false);
        assertEquals("robert@acme.test", SamlResponseValidator.validate(two, named, Instant.now()).identity()
                .email());
    }

    @Test
    void anAttributeNamedByTheAdminWinsOverAnEmailNameId() throws SsoFailure {
        String answer = idp.answer(REQUEST, SP, ACS, "alice@acme.test").tweak(doc -> {
            Element email = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute").item(0);
            email.setAttribute("Name", "workEmail");
            email.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue").item(0).setTextContent("a.smith@acme.test");
        }).encoded();
        assertEquals("alice@acme.test", accept(answer).identity().email(), "automatic: the email NameID");
        Expectations named = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2),
                "workEmail", false);
        assertEquals("a.smith@acme.test", SamlResponseValidator.validate(answer, named, Instant.now()).identity()
                .email());
    }

    /**
     * SimpleSAMLphp, for an SP whose metadata names the emailAddress format, sends a user with an
     * eduPersonPrincipalName a NameID of that format whose value is a hash of it: not an address, so the email comes
     * from the attributes, and without one there the answer has no email rather than the hash for one.
     */
    @Test
    void anEmailFormatNameIdThatIsNoAddressGivesWayToTheAttributes() throws SsoFailure {
        String hash = "1fd35c7e66266950799e1b87ce55842731a81384";
        String answer = idp.answer(REQUEST, SP, ACS, "alice@acme.test").tweak(doc -> {
            first(doc, ASSERTION_NS, "NameID").setTextContent(hash);
            ((Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute").item(0)).setAttribute("Name", "mail");
        }).encoded();
        IdpIdentity identity = accept(answer).identity();
        assertEquals("alice@acme.test", identity.email());
        assertEquals(hash, identity.subject());
        rejects(Reason.EMAIL_MISSING, idp.answer(REQUEST, SP, ACS, "alice@acme.test").tweak(doc -> {
            first(doc, ASSERTION_NS, "NameID").setTextContent(hash);
            Element email = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute").item(0);
            email.getParentNode().removeChild(email);
        }).encoded());
    }

    @Test
    void rejectsAnIdentityWithoutEmail() {
        rejects(Reason.EMAIL_MISSING, valid().tweak(doc -> {
            Element nameId = first(doc, ASSERTION_NS, "NameID");
            nameId.setAttribute("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
            Element email = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Attribute").item(0);
            email.getParentNode().removeChild(email);
        }).encoded());
    }
}
