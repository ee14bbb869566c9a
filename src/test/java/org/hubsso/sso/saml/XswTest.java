package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.SamlResponseValidatorTest.ACS;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.REQUEST;
import static org.hubsso.sso.saml.SamlResponseValidatorTest.SP;
import static org.hubsso.sso.saml.TestIdp.ASSERTION_NS;
import static org.hubsso.sso.saml.TestIdp.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.crypto.dsig.SignatureMethod;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoFailure.Reason;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mutators of the hostile-input tests, checked at unit level: every XSW variant and forged signature is
 * refused by the validator with its reason code. {@code HostileSamlIT} sends the same documents over HTTP.
 */
class XswTest {

    static TestIdp idp;
    static Expectations expect;

    @BeforeAll
    static void idps() {
        idp = new TestIdp("http://idp.test/realms/acme");
        expect = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "email", false);
    }

    static TestIdp.Answer valid() {
        return idp.answer(REQUEST, SP, ACS, "outsider@elsewhere.test");
    }

    static void rejects(Reason reason, String encoded) {
        SsoFailure failure = assertThrows(SsoFailure.class,
                () -> SamlResponseValidator.validate(encoded, expect, Instant.now()));
        assertEquals(reason, failure.reason(), failure.detail());
    }

    @ParameterizedTest
    @EnumSource(Xsw.class)
    void everyWrappingIsRefused(Xsw xsw) {
        String signed = valid().sign(xsw.wrapsResponse() ? Sign.RESPONSE : Sign.ASSERTION).encoded();
        rejects(expected(xsw), TestIdp.mutate(signed, doc -> xsw.apply(doc, Xsw.claim("mallory@hub.test"))));
    }

    /**
     * Two assertions (or Responses) in one document are refused by the count; XSW2 (a Response inside the Response)
     * and XSW4 (an Assertion inside the Assertion) do not even parse as a SAML Response.
     */
    static Reason expected(Xsw xsw) {
        return xsw == Xsw.XSW2 || xsw == Xsw.XSW4 ? Reason.MALFORMED : Reason.ASSERTION_COUNT;
    }

    @Test
    void anXPathTransformThatLeavesTheNameIdUnsignedIsRefused() {
        String forged = TestIdp.mutate(valid().sign(Sign.NONE).encoded(), doc -> {
            new Forge().xpath(Forge.XPATH_EXCLUDING_NAME_ID).signAssertion(doc, idp.keys.getPrivate());
            Xsw.claim("mallory@hub.test").accept(doc.getDocumentElement());
        });
        rejects(Reason.SIGNATURE_ALGORITHM, forged);
    }

    @Test
    void anEmptyReferenceUriIsRefused() {
        String forged = TestIdp.mutate(valid().sign(Sign.NONE).encoded(),
                doc -> new Forge().referenceUri("").signAssertion(doc, idp.keys.getPrivate()));
        rejects(Reason.SIGNED_ELEMENT_MISMATCH, forged);
    }

    @Test
    void aReferenceToAnotherElementIsRefused() {
        String forged = TestIdp.mutate(valid().sign(Sign.NONE).encoded(), doc -> {
            first(doc, ASSERTION_NS, "Subject").setAttribute("ID", "_subject");
            first(doc, ASSERTION_NS, "Subject").setIdAttribute("ID", true);
            new Forge().referenceUri("#_subject").signAssertion(doc, idp.keys.getPrivate());
        });
        rejects(Reason.SIGNED_ELEMENT_MISMATCH, forged);
    }

    @Test
    void hmacKeyedWithTheCertificateIsRefused() throws Exception {
        SecretKeySpec key = new SecretKeySpec(idp.certificate.getEncoded(), "HmacSHA1");
        rejects(Reason.SIGNATURE_ALGORITHM, TestIdp.mutate(valid().sign(Sign.NONE).encoded(),
                doc -> new Forge().signatureMethod(SignatureMethod.HMAC_SHA1, null).signAssertion(doc, key)));
        rejects(Reason.SIGNATURE_ALGORITHM, TestIdp.mutate(valid().sign(Sign.NONE).encoded(),
                doc -> new Forge().hmacOutputLength(160).signAssertion(doc, key)));
    }

    @Test
    void aUtf16DoctypeIsRefused() {
        String xml = new String(Base64.getDecoder().decode(valid().encoded()), StandardCharsets.UTF_8)
                .replaceFirst("<\\?xml[^>]*\\?>", "")
                .replaceFirst("<samlp:Response", "<!DOCTYPE r [<!ENTITY x \"y\">]><samlp:Response");
        String utf16 = Base64.getEncoder().encodeToString(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + xml)
                .getBytes(StandardCharsets.UTF_16));
        rejects(Reason.DOCTYPE_REJECTED, utf16);
    }
}
