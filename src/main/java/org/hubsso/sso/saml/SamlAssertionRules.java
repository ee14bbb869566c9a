package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.ASSERTION_COUNT;
import static org.hubsso.sso.SsoFailure.Reason.ASSERTION_ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.AUDIENCE_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.AUTHN_STATEMENT_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.CONDITIONS_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.DESTINATION_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.EXPIRED;
import static org.hubsso.sso.SsoFailure.Reason.IN_RESPONSE_TO_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;
import static org.hubsso.sso.SsoFailure.Reason.NOT_YET_VALID;
import static org.hubsso.sso.SsoFailure.Reason.RECIPIENT_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.RESPONSE_ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.STATUS_NOT_SUCCESS;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_EXPIRED;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_NOT_BEFORE;
import static org.hubsso.sso.SsoFailure.Reason.UNSOLICITED_RESPONSE;
import static org.hubsso.sso.saml.SamlXml.quote;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.XMLGregorianCalendar;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AudienceRestrictionType;
import org.keycloak.dom.saml.v2.assertion.AuthnStatementType;
import org.keycloak.dom.saml.v2.assertion.ConditionAbstractType;
import org.keycloak.dom.saml.v2.assertion.ConditionsType;
import org.keycloak.dom.saml.v2.assertion.SubjectConfirmationDataType;
import org.keycloak.dom.saml.v2.assertion.SubjectConfirmationType;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.dom.saml.v2.protocol.StatusCodeType;
import org.keycloak.dom.saml.v2.protocol.StatusType;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.common.exceptions.ProcessingException;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;
import org.keycloak.saml.processing.core.saml.v2.util.AssertionUtil;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The protocol and assertion rules of the ACS checklist, one small method per reason code, each requiring what
 * keycloak-saml-core lets pass when absent. {@link SamlResponseValidator} runs them in order.
 */
final class SamlAssertionRules {

    private static final String BEARER = JBossSAMLURIConstants.SUBJECT_CONFIRMATION_BEARER.get();
    private static final String SUCCESS = JBossSAMLURIConstants.STATUS_SUCCESS.get();
    static final String ASSERTION_NS = JBossSAMLURIConstants.ASSERTION_NSURI.get();

    private SamlAssertionRules() {
    }

    /**
     * Exactly one assertion in the whole document, unencrypted, a direct child of the Response: nothing else can be
     * hidden for a naive reader to pick up.
     *
     * @return its element
     */
    static Element theOnlyAssertion(SAMLDocumentHolder holder, ResponseType response) throws SsoFailure {
        NodeList all = holder.getSamlDocument().getElementsByTagNameNS(ASSERTION_NS, "Assertion");
        if (all.getLength() != 1 || response.getAssertions().size() != 1
                || response.getAssertions().get(0).getAssertion() == null) {
            throw new SsoFailure(ASSERTION_COUNT, "Found " + all.getLength() + " assertion element(s) and "
                    + response.getAssertions().size() + " assertion(s) in the response.");
        }
        Element element;
        try {
            element = AssertionUtil.getAssertionElement(holder);
        } catch (ProcessingException e) {
            element = null;
        }
        if (element == null || element != all.item(0)) {
            throw new SsoFailure(ASSERTION_COUNT, "The assertion is not a direct child of the Response.");
        }
        return element;
    }

    /**
     * The IdP's own answer first: a Status other than Success is reported with its code, sub-code and the IdP's
     * StatusMessage (cut, control characters dropped; pages escape it), before any assertion is looked for, so the
     * admin sees what the IdP said rather than a missing assertion. Nothing is trusted from it: it only fails.
     */
    static void statusSuccess(ResponseType response) throws SsoFailure {
        StatusType status = response.getStatus();
        StatusCodeType code = status == null ? null : status.getStatusCode();
        String value = code == null || code.getValue() == null ? null : String.valueOf(code.getValue());
        if (SUCCESS.equals(value)) {
            return;
        }
        StringBuilder detail = new StringBuilder("The identity provider answered ").append(shortStatus(value));
        StatusCodeType sub = code == null ? null : code.getStatusCode();
        if (sub != null && sub.getValue() != null) {
            detail.append(" / ").append(shortStatus(String.valueOf(sub.getValue())));
        }
        String message = status == null ? null : status.getStatusMessage();
        if (message != null && !message.isBlank()) {
            detail.append(": \u201c").append(printable(message, 300)).append('\u201d');
        }
        throw new SsoFailure(STATUS_NOT_SUCCESS, detail.append('.').toString());
    }

    /** {@code urn:oasis:names:tc:SAML:2.0:status:Responder} as {@code Responder}; anything else cut to size. */
    private static String shortStatus(String value) {
        if (value == null) {
            return "no status";
        }
        String prefix = "urn:oasis:names:tc:SAML:2.0:status:";
        return printable(value.startsWith(prefix) ? value.substring(prefix.length()) : value, 120);
    }

    /** At most {@code max} characters, control characters replaced by spaces. */
    private static String printable(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) + "\u2026" : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString().strip();
    }

    static void destination(ResponseType response, String acsUrl) throws SsoFailure {
        if (!acsUrl.equals(response.getDestination())) {
            throw new SsoFailure(DESTINATION_MISMATCH, "Destination " + quote(response.getDestination())
                    + ", expected " + quote(acsUrl) + ".");
        }
    }

    static void responseIssuer(ResponseType response, String idpIssuer) throws SsoFailure {
        String issuer = response.getIssuer() == null ? null : response.getIssuer().getValue();
        if (!idpIssuer.equals(issuer)) {
            throw new SsoFailure(RESPONSE_ISSUER_MISMATCH, "Issuer " + quote(issuer) + ", expected "
                    + quote(idpIssuer) + ".");
        }
    }

    static void assertionIssuer(AssertionType assertion, String idpIssuer) throws SsoFailure {
        String issuer = assertion.getIssuer() == null ? null : assertion.getIssuer().getValue();
        if (!idpIssuer.equals(issuer)) {
            throw new SsoFailure(ASSERTION_ISSUER_MISMATCH, "Issuer " + quote(issuer) + ", expected "
                    + quote(idpIssuer) + ".");
        }
    }

    /** How far the IdP's clock (the assertion's IssueInstant) is from this server's, in ms (positive: IdP ahead). */
    static long skewMillis(AssertionType assertion, Instant now) throws SsoFailure {
        if (assertion.getIssueInstant() == null) {
            throw new SsoFailure(MALFORMED, "The assertion has no IssueInstant.");
        }
        return Duration.between(now, instant(assertion.getIssueInstant(), "Assertion IssueInstant")).toMillis();
    }

    /**
     * Not issued in the future beyond the allowed skew: the IdP's clock is off, or the answer was made to be used
     * later (a validity window in Conditions alone would let it through).
     */
    static void issuedInThePast(ResponseType response, AssertionType assertion, Instant now, Duration skew,
            long skewMillis) throws SsoFailure {
        if (response.getIssueInstant() == null) {
            throw new SsoFailure(MALFORMED, "The Response has no IssueInstant.");
        }
        notInTheFuture("Response", response.getIssueInstant(), now, skew, skewMillis);
        notInTheFuture("Assertion", assertion.getIssueInstant(), now, skew, skewMillis);
    }

    private static void notInTheFuture(String what, XMLGregorianCalendar issued, Instant now, Duration skew,
            long skewMillis) throws SsoFailure {
        Instant at = instant(issued, what + " IssueInstant");
        if (at.isAfter(now.plus(skew))) {
            throw new SsoFailure(NOT_YET_VALID, what + " issued at " + at + ", after this server's time " + now
                    + " plus the allowed clock skew of " + skew.toSeconds() + " s.", skewMillis);
        }
    }

    static ConditionsType conditions(AssertionType assertion) throws SsoFailure {
        ConditionsType conditions = assertion.getConditions();
        if (conditions == null || conditions.getNotBefore() == null || conditions.getNotOnOrAfter() == null) {
            throw new SsoFailure(CONDITIONS_MISSING, "Conditions NotBefore and NotOnOrAfter are both required.");
        }
        return conditions;
    }

    static void audience(ConditionsType conditions, String spEntityId) throws SsoFailure {
        List<String> audiences = new ArrayList<>();
        for (ConditionAbstractType c : conditions.getConditions()) {
            if (c instanceof AudienceRestrictionType restriction) {
                restriction.getAudience().forEach(u -> audiences.add(u.toString()));
            }
        }
        if (!audiences.contains(spEntityId)) {
            throw new SsoFailure(AUDIENCE_MISMATCH, "Audience " + audiences + ", expected " + quote(spEntityId)
                    + ".");
        }
    }

    /** @return the end of the validity window (NotOnOrAfter) */
    static Instant withinValidity(ConditionsType conditions, Instant now, Duration skew, long skewMillis)
            throws SsoFailure {
        Instant notBefore = instant(conditions.getNotBefore(), "Conditions NotBefore");
        Instant notOnOrAfter = instant(conditions.getNotOnOrAfter(), "Conditions NotOnOrAfter");
        if (now.plus(skew).isBefore(notBefore)) {
            throw new SsoFailure(NOT_YET_VALID, "Valid from " + notBefore + "; this server's time is " + now
                    + " (allowed clock skew " + skew.toSeconds() + " s).", skewMillis);
        }
        if (!now.minus(skew).isBefore(notOnOrAfter)) {
            throw new SsoFailure(EXPIRED, "Valid until " + notOnOrAfter + "; this server's time is " + now
                    + " (allowed clock skew " + skew.toSeconds() + " s).", skewMillis);
        }
        return notOnOrAfter;
    }

    /** @return the request the response answers (IdP-initiated answers have none and are refused) */
    static String solicited(ResponseType response) throws SsoFailure {
        String inResponseTo = response.getInResponseTo();
        if (inResponseTo == null || inResponseTo.isBlank()) {
            throw new SsoFailure(UNSOLICITED_RESPONSE, "The response has no InResponseTo.");
        }
        return inResponseTo;
    }

    static SubjectConfirmationDataType bearerConfirmation(AssertionType assertion) throws SsoFailure {
        if (assertion.getSubject() != null) {
            for (SubjectConfirmationType sc : assertion.getSubject().getConfirmation()) {
                if (BEARER.equals(sc.getMethod()) && sc.getSubjectConfirmationData() != null) {
                    return sc.getSubjectConfirmationData();
                }
            }
        }
        throw new SsoFailure(SUBJECT_CONFIRMATION_MISSING, "No SubjectConfirmation with Method " + BEARER + ".");
    }

    static void recipient(SubjectConfirmationDataType confirmation, String acsUrl) throws SsoFailure {
        if (!acsUrl.equals(confirmation.getRecipient())) {
            throw new SsoFailure(RECIPIENT_MISMATCH, "Recipient " + quote(confirmation.getRecipient())
                    + ", expected " + quote(acsUrl) + ".");
        }
    }

    static void noConfirmationNotBefore(SubjectConfirmationDataType confirmation) throws SsoFailure {
        if (confirmation.getNotBefore() != null) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_NOT_BEFORE, "The bearer SubjectConfirmationData has NotBefore "
                    + confirmation.getNotBefore() + "; SAML Profiles 4.1.4.2 forbid it.");
        }
    }

    /** @return until when the subject confirmation holds */
    static Instant confirmationValid(SubjectConfirmationDataType confirmation, Instant now, Duration skew,
            long skewMillis) throws SsoFailure {
        if (confirmation.getNotOnOrAfter() == null) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_EXPIRED, "The subject confirmation has no NotOnOrAfter.");
        }
        Instant expiry = instant(confirmation.getNotOnOrAfter(), "SubjectConfirmationData NotOnOrAfter");
        if (!now.minus(skew).isBefore(expiry)) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_EXPIRED, "Subject confirmation valid until " + expiry
                    + "; this server's time is " + now + ".", skewMillis);
        }
        return expiry;
    }

    static void sameRequest(String inResponseTo, SubjectConfirmationDataType confirmation) throws SsoFailure {
        if (!inResponseTo.equals(confirmation.getInResponseTo())) {
            throw new SsoFailure(IN_RESPONSE_TO_MISMATCH, "Response answers " + quote(inResponseTo)
                    + ", subject confirmation answers " + quote(confirmation.getInResponseTo()) + ".");
        }
    }

    static void authnStatement(AssertionType assertion) throws SsoFailure {
        if (assertion.getStatements().stream().noneMatch(s -> s instanceof AuthnStatementType)) {
            throw new SsoFailure(AUTHN_STATEMENT_MISSING, "No AuthnStatement in the assertion.");
        }
    }

    /** Times without a time zone are ambiguous and refused. */
    static Instant instant(XMLGregorianCalendar value, String what) throws SsoFailure {
        if (value.getTimezone() == DatatypeConstants.FIELD_UNDEFINED) {
            throw new SsoFailure(MALFORMED, what + " has no time zone.");
        }
        return value.toGregorianCalendar().toInstant();
    }
}
