package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.ASSERTION_COUNT;
import static org.hubsso.sso.SsoFailure.Reason.ASSERTION_ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.AUDIENCE_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.AUTHN_STATEMENT_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.CONDITIONS_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.DESTINATION_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.DOCTYPE_REJECTED;
import static org.hubsso.sso.SsoFailure.Reason.EMAIL_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.EXPIRED;
import static org.hubsso.sso.SsoFailure.Reason.IN_RESPONSE_TO_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;
import static org.hubsso.sso.SsoFailure.Reason.NOT_YET_VALID;
import static org.hubsso.sso.SsoFailure.Reason.RECIPIENT_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.REQUEST_TOO_LARGE;
import static org.hubsso.sso.SsoFailure.Reason.RESPONSE_ISSUER_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.SIGNATURE_ALGORITHM;
import static org.hubsso.sso.SsoFailure.Reason.SIGNATURE_INVALID;
import static org.hubsso.sso.SsoFailure.Reason.SIGNED_ELEMENT_MISMATCH;
import static org.hubsso.sso.SsoFailure.Reason.STATUS_NOT_SUCCESS;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_EXPIRED;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_NOT_BEFORE;
import static org.hubsso.sso.SsoFailure.Reason.UNSOLICITED_RESPONSE;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.datatype.DatatypeConstants;
import javax.xml.datatype.XMLGregorianCalendar;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.dom.saml.v2.assertion.AudienceRestrictionType;
import org.keycloak.dom.saml.v2.assertion.AuthnStatementType;
import org.keycloak.dom.saml.v2.assertion.ConditionAbstractType;
import org.keycloak.dom.saml.v2.assertion.ConditionsType;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.dom.saml.v2.assertion.SubjectConfirmationDataType;
import org.keycloak.dom.saml.v2.assertion.SubjectConfirmationType;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.rotation.HardcodedKeyLocator;
import org.keycloak.rotation.KeyLocator;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.common.exceptions.ProcessingException;
import org.keycloak.saml.processing.api.saml.v2.sig.SAML2Signature;
import org.keycloak.saml.processing.core.parsers.saml.SAMLParser;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;
import org.keycloak.saml.processing.core.saml.v2.util.AssertionUtil;
import org.keycloak.saml.processing.core.util.JAXPValidationUtil;
import org.keycloak.saml.processing.core.util.XMLSignatureUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Validates a SAML Response posted to an organization's ACS. Parsing and XML signature verification are
 * keycloak-saml-core's; this class requires everything that library lets pass when absent, and checks every
 * item of the ACS checklist with its own reason code. It does not touch the database: the pending request
 * (InResponseTo) and the replay cache are checked by the caller with what this returns.
 */
public final class SamlResponseValidator {

    /** Largest accepted SAMLResponse form value (base64) and decoded document. */
    public static final int MAX_ENCODED = 256 * 1024;
    public static final int MAX_DECODED = 192 * 1024;

    static final Set<String> STRONG_SIGNATURES = Set.of(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512");
    static final Set<String> STRONG_DIGESTS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");

    /** Deepest element nesting accepted; a SAML Response needs about ten levels. */
    static final int MAX_DEPTH = 64;

    /**
     * The JDK's DOM parser, configured as keycloak-saml-core configures its own (namespace aware, no XInclude, no
     * DOCTYPE, no external entities) plus the JDK's element depth limit. One builder per thread: building one costs
     * about as much as parsing a response, and a builder is not thread-safe.
     */
    private static final DocumentBuilderFactory DOM = domFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(
            SamlResponseValidator::newBuilder);

    /** The JDK's message code for {@code MaxElementDepthLimit}, the same in every locale. */
    private static final String DEPTH_LIMIT_CODE = "JAXP00010006:";

    static final String EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    static final Set<String> ALLOWED_TRANSFORMS = Set.of("http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            EXCLUSIVE_C14N);

    private static final String BEARER = JBossSAMLURIConstants.SUBJECT_CONFIRMATION_BEARER.get();
    private static final String SUCCESS = JBossSAMLURIConstants.STATUS_SUCCESS.get();
    private static final String EMAIL_FORMAT = JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get();
    private static final String ASSERTION_NS = JBossSAMLURIConstants.ASSERTION_NSURI.get();

    private SamlResponseValidator() {
    }

    /** What this organization's ACS expects. */
    public record Expectations(String spEntityId, String acsUrl, String idpIssuer, X509Certificate idpCertificate,
            Duration clockSkew, String emailAttribute, boolean allowSha1) {
    }

    /**
     * A response that passed every check but the pending-request and replay ones.
     *
     * @param inResponseTo the request id it answers (present, and the same in Response and SubjectConfirmation)
     * @param assertionId the assertion id, for the replay cache
     * @param keepUntil until when the assertion id must stay in the replay cache
     */
    public record Validated(String inResponseTo, String assertionId, Instant keepUntil, IdpIdentity identity) {
    }

    /**
     * A posted answer read and parsed, nothing of it trusted yet: the first stage of {@link #validate}. Its
     * InResponseTo ({@link #claimedRequest()}) may only serve to find the sign-in it claims to answer.
     */
    public static final class Read {
        private final SAMLDocumentHolder holder;
        private final ResponseType response;

        private Read(SAMLDocumentHolder holder, ResponseType response) {
            this.holder = holder;
            this.response = response;
        }

        /** The request id the answer claims to answer (unverified). */
        public String claimedRequest() {
            return response.getInResponseTo();
        }
    }

    public static Validated validate(String encoded, Expectations expect, Instant now) throws SsoFailure {
        return check(read(encoded), expect, now);
    }

    /**
     * Decodes and parses a posted SAMLResponse once: bounded size, base64, no DOCTYPE, well-formed and at most
     * {@link #MAX_DEPTH} deep, a SAML 2.0 Response.
     */
    public static Read read(String encoded) throws SsoFailure {
        if (encoded == null || encoded.isBlank()) {
            throw new SsoFailure(MALFORMED, "No SAMLResponse was posted.");
        }
        if (encoded.length() > MAX_ENCODED) {
            throw new SsoFailure(REQUEST_TOO_LARGE, "The posted SAMLResponse has " + encoded.length()
                    + " characters; at most " + MAX_ENCODED + " are accepted.");
        }
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new SsoFailure(MALFORMED, "The SAMLResponse is not base64.");
        }
        if (xml.length > MAX_DECODED) {
            throw new SsoFailure(REQUEST_TOO_LARGE, "The decoded response has " + xml.length + " bytes; at most "
                    + MAX_DECODED + " are accepted.");
        }
        if (hasDoctype(xml)) {
            throw new SsoFailure(DOCTYPE_REJECTED, "The response contains <!DOCTYPE.");
        }
        Document doc = parse(xml);
        Object parsed;
        try {
            // What SAMLRequestParser.parseResponsePostBinding does after its base64 decode and DOM parse.
            JAXPValidationUtil.checkSchemaValidation(doc);
            parsed = SAMLParser.getInstance().parse(doc);
        } catch (Exception e) {
            parsed = null;
        }
        if (!(parsed instanceof ResponseType response)) {
            throw new SsoFailure(MALFORMED, "The SAMLResponse could not be parsed as a SAML 2.0 Response.");
        }
        return new Read(new SAMLDocumentHolder(response, doc), response);
    }

    /** Every check of the ACS checklist on a read answer, against what this organization's ACS expects. */
    public static Validated check(Read read, Expectations expect, Instant now) throws SsoFailure {
        try {
            return check(read.holder, read.response, expect, now);
        } catch (SsoFailure failure) {
            throw failure.answering(read.response.getInResponseTo());
        }
    }

    private static Validated check(SAMLDocumentHolder holder, ResponseType response, Expectations expect,
            Instant now) throws SsoFailure {
        Document doc = holder.getSamlDocument();
        Element root = doc.getDocumentElement();

        // Exactly one assertion in the whole document, unencrypted, a direct child of the Response: nothing
        // else can be hidden for a naive reader to pick up.
        NodeList all = doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion");
        if (all.getLength() != 1 || response.getAssertions().size() != 1
                || response.getAssertions().get(0).getAssertion() == null) {
            throw new SsoFailure(ASSERTION_COUNT, "Found " + all.getLength() + " assertion element(s) and "
                    + response.getAssertions().size() + " assertion(s) in the response.");
        }
        Element assertionElement;
        try {
            assertionElement = AssertionUtil.getAssertionElement(holder);
        } catch (ProcessingException e) {
            throw new SsoFailure(ASSERTION_COUNT, "The assertion is not a direct child of the Response.");
        }
        if (assertionElement != all.item(0)) {
            throw new SsoFailure(ASSERTION_COUNT, "The assertion is not a direct child of the Response.");
        }
        AssertionType assertion = response.getAssertions().get(0).getAssertion();

        verifySignatures(doc, root, assertionElement, assertion, expect.idpCertificate(), expect.allowSha1());

        // Status, Destination, issuers.
        String status = response.getStatus() == null || response.getStatus().getStatusCode() == null ? null
                : String.valueOf(response.getStatus().getStatusCode().getValue());
        if (!SUCCESS.equals(status)) {
            throw new SsoFailure(STATUS_NOT_SUCCESS, "Status: " + status + ".");
        }
        if (!expect.acsUrl().equals(response.getDestination())) {
            throw new SsoFailure(DESTINATION_MISMATCH, "Destination " + quote(response.getDestination())
                    + ", expected " + quote(expect.acsUrl()) + ".");
        }
        String responseIssuer = response.getIssuer() == null ? null : response.getIssuer().getValue();
        if (!expect.idpIssuer().equals(responseIssuer)) {
            throw new SsoFailure(RESPONSE_ISSUER_MISMATCH, "Issuer " + quote(responseIssuer) + ", expected "
                    + quote(expect.idpIssuer()) + ".");
        }
        String assertionIssuer = assertion.getIssuer() == null ? null : assertion.getIssuer().getValue();
        if (!expect.idpIssuer().equals(assertionIssuer)) {
            throw new SsoFailure(ASSERTION_ISSUER_MISMATCH, "Issuer " + quote(assertionIssuer) + ", expected "
                    + quote(expect.idpIssuer()) + ".");
        }

        long skewMillis = skew(assertion, now);
        Duration skew = expect.clockSkew();
        // Issued in the future beyond the allowed skew: the IdP's clock is off, or the answer was made to be used
        // later (a validity window in Conditions alone would let it through).
        if (response.getIssueInstant() == null) {
            throw new SsoFailure(MALFORMED, "The Response has no IssueInstant.");
        }
        for (var issued : List.of(Map.entry("Response", response.getIssueInstant()),
                Map.entry("Assertion", assertion.getIssueInstant()))) {
            Instant at = instant(issued.getValue(), issued.getKey() + " IssueInstant");
            if (at.isAfter(now.plus(skew))) {
                throw new SsoFailure(NOT_YET_VALID, issued.getKey() + " issued at " + at + ", after this server's time "
                        + now + " plus the allowed clock skew of " + skew.toSeconds() + " s.", skewMillis);
            }
        }

        // Audience and validity window.
        ConditionsType conditions = assertion.getConditions();
        if (conditions == null || conditions.getNotBefore() == null || conditions.getNotOnOrAfter() == null) {
            throw new SsoFailure(CONDITIONS_MISSING, "Conditions NotBefore and NotOnOrAfter are both required.");
        }
        List<String> audiences = new ArrayList<>();
        for (ConditionAbstractType c : conditions.getConditions()) {
            if (c instanceof AudienceRestrictionType restriction) {
                restriction.getAudience().forEach(u -> audiences.add(u.toString()));
            }
        }
        if (!audiences.contains(expect.spEntityId())) {
            throw new SsoFailure(AUDIENCE_MISMATCH, "Audience " + audiences + ", expected "
                    + quote(expect.spEntityId()) + ".");
        }
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

        // Bearer subject confirmation for this ACS, answering the same request as the Response.
        String inResponseTo = response.getInResponseTo();
        if (inResponseTo == null || inResponseTo.isBlank()) {
            throw new SsoFailure(UNSOLICITED_RESPONSE, "The response has no InResponseTo.");
        }
        SubjectConfirmationDataType confirmation = bearerConfirmation(assertion);
        if (!expect.acsUrl().equals(confirmation.getRecipient())) {
            throw new SsoFailure(RECIPIENT_MISMATCH, "Recipient " + quote(confirmation.getRecipient())
                    + ", expected " + quote(expect.acsUrl()) + ".");
        }
        if (confirmation.getNotBefore() != null) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_NOT_BEFORE, "The bearer SubjectConfirmationData has NotBefore "
                    + confirmation.getNotBefore() + "; SAML Profiles 4.1.4.2 forbid it.");
        }
        if (confirmation.getNotOnOrAfter() == null) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_EXPIRED, "The subject confirmation has no NotOnOrAfter.");
        }
        Instant confirmationExpiry = instant(confirmation.getNotOnOrAfter(), "SubjectConfirmationData NotOnOrAfter");
        if (!now.minus(skew).isBefore(confirmationExpiry)) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_EXPIRED, "Subject confirmation valid until "
                    + confirmationExpiry + "; this server's time is " + now + ".", skewMillis);
        }
        if (!inResponseTo.equals(confirmation.getInResponseTo())) {
            throw new SsoFailure(IN_RESPONSE_TO_MISMATCH, "Response answers " + quote(inResponseTo)
                    + ", subject confirmation answers " + quote(confirmation.getInResponseTo()) + ".");
        }

        if (assertion.getStatements().stream().noneMatch(s -> s instanceof AuthnStatementType)) {
            throw new SsoFailure(AUTHN_STATEMENT_MISSING, "No AuthnStatement in the assertion.");
        }

        IdpIdentity identity = identity(assertion, expect, skewMillis);
        Instant keepUntil = max(notOnOrAfter, confirmationExpiry).plus(skew);
        return new Validated(inResponseTo, assertion.getID(), keepUntil, identity);
    }

    /**
     * Signatures are verified with the pinned certificate's key only (KeyInfo in the message is ignored). The
     * whole document must verify (every signature in it valid, the root or every assertion signed), and the
     * element that carries a valid signature must be the Response or the very assertion consumed.
     */
    private static void verifySignatures(Document doc, Element root, Element assertionElement,
            AssertionType assertion, X509Certificate certificate, boolean allowSha1) throws SsoFailure {
        KeyLocator pinned = new HardcodedKeyLocator(certificate.getPublicKey());
        checkAlgorithms(root, allowSha1);
        checkReferences(doc);
        boolean documentValid;
        try {
            documentValid = new SAML2Signature().validate(doc, pinned);
        } catch (ProcessingException | RuntimeException e) {
            throw new SsoFailure(SIGNATURE_INVALID, "The signature could not be verified.");
        }
        // validate(doc) has verified every signature in the document, each against the element it is the child
        // of; so a signature here means a verified one, with no need to verify it twice.
        boolean responseSigned = XMLSignatureUtil.getSignature(root) != null;
        boolean assertionSigned = XMLSignatureUtil.getSignature(assertionElement) != null;
        if (!documentValid || !(responseSigned || assertionSigned)) {
            throw new SsoFailure(SIGNATURE_INVALID, "Neither the Response nor its assertion carries a valid"
                    + " signature by the configured certificate.");
        }
        if (!assertion.getID().equals(assertionElement.getAttribute("ID"))) {
            throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "The parsed assertion is not the verified element.");
        }
    }

    /**
     * Anything not on the allow-list is refused before any verification is attempted; RSA-SHA1 and SHA-1 digests
     * only pass for an organization that allowed them ({@link LegacySha1}).
     */
    private static void checkAlgorithms(Element root, boolean allowSha1) throws SsoFailure {
        NodeList methods = root.getOwnerDocument().getElementsByTagNameNS(XMLSignature.XMLNS, "SignatureMethod");
        for (int i = 0; i < methods.getLength(); i++) {
            String algorithm = ((Element) methods.item(i)).getAttribute("Algorithm");
            if (!STRONG_SIGNATURES.contains(algorithm) && !legacyAllowed(algorithm, allowSha1)) {
                throw new SsoFailure(SIGNATURE_ALGORITHM, "Signature algorithm " + algorithm + " is not accepted;"
                        + " configure the IdP to sign with RSA-SHA256 or stronger.");
            }
        }
        NodeList digests = root.getOwnerDocument().getElementsByTagNameNS(XMLSignature.XMLNS, "DigestMethod");
        for (int i = 0; i < digests.getLength(); i++) {
            String algorithm = ((Element) digests.item(i)).getAttribute("Algorithm");
            if (!STRONG_DIGESTS.contains(algorithm) && !legacyAllowed(algorithm, allowSha1)) {
                throw new SsoFailure(SIGNATURE_ALGORITHM, "Digest algorithm " + algorithm + " is not accepted;"
                        + " configure the IdP to use SHA-256 or stronger.");
            }
        }
    }

    /**
     * Every signature in the document has one SignedInfo with one Reference to {@code #ID} of the element the
     * signature is the child of (never {@code ""}, another element, or an ID used twice), and only the enveloped
     * signature and exclusive c14n transforms (an XPath or XSLT transform could leave parts of the element unsigned).
     */
    private static void checkReferences(Document doc) throws SsoFailure {
        Set<String> ids = new java.util.HashSet<>();
        NodeList elements = doc.getElementsByTagName("*");
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            if (e.hasAttribute("ID") && !ids.add(e.getAttribute("ID"))) {
                throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "The ID " + quote(e.getAttribute("ID"))
                        + " is used by more than one element.");
            }
        }
        NodeList signatures = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        for (int i = 0; i < signatures.getLength(); i++) {
            Element signature = (Element) signatures.item(i);
            List<Element> signedInfos = children(signature, "SignedInfo");
            if (signedInfos.size() != 1) {
                throw new SsoFailure(SIGNATURE_INVALID, "A signature has " + signedInfos.size()
                        + " SignedInfo elements; exactly one is allowed.");
            }
            Element signedInfo = signedInfos.get(0);
            for (Element c14n : children(signedInfo, "CanonicalizationMethod")) {
                if (!EXCLUSIVE_C14N.equals(c14n.getAttribute("Algorithm"))) {
                    throw new SsoFailure(SIGNATURE_ALGORITHM, "Canonicalization " + quote(c14n.getAttribute(
                            "Algorithm")) + " is not accepted; only exclusive canonicalization is.");
                }
            }
            List<Element> references = children(signedInfo, "Reference");
            if (references.size() != 1) {
                throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "A signature has " + references.size()
                        + " references; exactly one, to the signed element, is allowed.");
            }
            Element reference = references.get(0);
            Element parent = signature.getParentNode() instanceof Element p ? p : null;
            String parentId = parent == null ? "" : parent.getAttribute("ID");
            if (parentId.isEmpty() || !reference.hasAttribute("URI")
                    || !("#" + parentId).equals(reference.getAttribute("URI"))) {
                throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "A signature references "
                        + quote(reference.getAttribute("URI")) + " instead of the element it is in ("
                        + quote("#" + parentId) + ").");
            }
            for (Element transforms : children(reference, "Transforms")) {
                for (Element transform : children(transforms, "Transform")) {
                    String algorithm = transform.getAttribute("Algorithm");
                    if (!ALLOWED_TRANSFORMS.contains(algorithm)) {
                        throw new SsoFailure(SIGNATURE_ALGORITHM, "Transform " + quote(algorithm) + " is not"
                                + " accepted; only the enveloped signature and exclusive c14n transforms are.");
                    }
                }
            }
        }
    }

    private static DocumentBuilderFactory domFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        // The JDK's own limit (jdk.xml.maxElementDepth), set through the API so that it wins over any system
        // property: the parser stops at the first element deeper than MAX_DEPTH.
        factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth",
                String.valueOf(MAX_DEPTH));
        return factory;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilder builder = DOM.newDocumentBuilder();
            // As the StAX pass before it: fatal errors refuse the document, nothing is printed to stderr.
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The direct children of {@code parent} in the XML signature namespace with that local name. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XMLSignature.XMLNS.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    private static boolean legacyAllowed(String algorithm, boolean allowSha1) throws SsoFailure {
        if (!allowSha1 || !LegacySha1.ALGORITHMS.contains(algorithm)) {
            return false;
        }
        if (!LegacySha1.jvmAllows()) {
            throw new SsoFailure(SIGNATURE_ALGORITHM, "This organization allows SHA-1, but the server's Java XML"
                    + " signature policy refuses " + algorithm + "; the operator must start the server with"
                    + " -Djava.security.properties=server-config/xmldsig-legacy-sha1.security.");
        }
        return true;
    }

    private static SubjectConfirmationDataType bearerConfirmation(AssertionType assertion) throws SsoFailure {
        if (assertion.getSubject() != null) {
            for (SubjectConfirmationType sc : assertion.getSubject().getConfirmation()) {
                if (BEARER.equals(sc.getMethod()) && sc.getSubjectConfirmationData() != null) {
                    return sc.getSubjectConfirmationData();
                }
            }
        }
        throw new SsoFailure(SUBJECT_CONFIRMATION_MISSING, "No SubjectConfirmation with Method " + BEARER + ".");
    }

    private static IdpIdentity identity(AssertionType assertion, Expectations expect, long skewMillis)
            throws SsoFailure {
        String nameId = null;
        String nameIdFormat = null;
        if (assertion.getSubject() != null && assertion.getSubject().getSubType() != null
                && assertion.getSubject().getSubType().getBaseID() instanceof NameIDType id) {
            nameId = id.getValue();
            nameIdFormat = id.getFormat() == null ? null : id.getFormat().toString();
        }
        if (nameId == null || nameId.isBlank()) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_MISSING, "The assertion has no NameID.");
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (AttributeStatementType statement : assertion.getAttributeStatements()) {
            for (AttributeStatementType.ASTChoiceType choice : statement.getAttributes()) {
                AttributeType attribute = choice.getAttribute();
                if (attribute == null || attribute.getName() == null) {
                    continue;
                }
                List<String> values = attributes.computeIfAbsent(attribute.getName(), k -> new ArrayList<>());
                for (Object value : attribute.getAttributeValue()) {
                    if (value != null) {
                        values.add(String.valueOf(value));
                    }
                }
            }
        }
        String email;
        if (EMAIL_FORMAT.equals(nameIdFormat)) {
            email = nameId;
        } else {
            List<String> values = attributes.getOrDefault(expect.emailAttribute(), List.of());
            if (values.size() != 1) {
                throw new SsoFailure(EMAIL_MISSING, "The NameID is not an email address (format "
                        + quote(nameIdFormat) + ") and attribute " + quote(expect.emailAttribute()) + " has "
                        + values.size() + " values; exactly one is needed.");
            }
            email = values.get(0);
        }
        return new IdpIdentity(SsoProtocol.SAML, expect.idpIssuer(), nameId, email.strip(), attributes, skewMillis);
    }

    /** How far the IdP's clock (IssueInstant) is from this server's, in milliseconds (positive: IdP ahead). */
    private static long skew(AssertionType assertion, Instant now) throws SsoFailure {
        if (assertion.getIssueInstant() == null) {
            throw new SsoFailure(MALFORMED, "The assertion has no IssueInstant.");
        }
        return Duration.between(now, instant(assertion.getIssueInstant(), "Assertion IssueInstant")).toMillis();
    }

    /** Times without a time zone are ambiguous and refused. */
    private static Instant instant(XMLGregorianCalendar value, String what) throws SsoFailure {
        if (value.getTimezone() == DatatypeConstants.FIELD_UNDEFINED) {
            throw new SsoFailure(MALFORMED, what + " has no time zone.");
        }
        return value.toGregorianCalendar().toInstant();
    }

    /**
     * The one parse of the document: well-formed, no DOCTYPE, and nested at most {@link #MAX_DEPTH} elements deep
     * (a SAML Response needs about ten): deeper documents make the recursive DOM walks of the XML library overflow
     * the stack. The JDK's parser enforces the depth while it reads, so 10,000 nested elements stop at the 65th.
     */
    private static Document parse(byte[] xml) throws SsoFailure {
        try {
            return BUILDER.get().parse(new java.io.ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(DEPTH_LIMIT_CODE)) {
                throw new SsoFailure(MALFORMED, "The response nests elements more than " + MAX_DEPTH + " deep.");
            }
            throw new SsoFailure(MALFORMED, "The SAMLResponse is not well-formed XML.");
        } catch (SAXException | java.io.IOException | RuntimeException e) {
            throw new SsoFailure(MALFORMED, "The SAMLResponse is not well-formed XML.");
        }
    }

    /** A DOCTYPE in any encoding an XML parser detects by itself (UTF-8, UTF-16 and UTF-32, either byte order). */
    private static boolean hasDoctype(byte[] xml) {
        if (xml.length > 1 && xml[0] == '<' && xml[1] != 0) {
            // Starts with '<' in a one-byte form: a parser reads it as UTF-8 (or a superset of ASCII).
            return new String(xml, java.nio.charset.StandardCharsets.UTF_8).contains("<!DOCTYPE");
        }
        for (String charset : List.of("UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            if (new String(xml, java.nio.charset.Charset.forName(charset)).contains("<!DOCTYPE")) {
                return true;
            }
        }
        return false;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }


}
