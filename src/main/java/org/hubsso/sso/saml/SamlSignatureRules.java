package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.SIGNATURE_ALGORITHM;
import static org.hubsso.sso.SsoFailure.Reason.SIGNATURE_INVALID;
import static org.hubsso.sso.SsoFailure.Reason.SIGNED_ELEMENT_MISMATCH;
import static org.hubsso.sso.saml.SamlXml.quote;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.rotation.HardcodedKeyLocator;
import org.keycloak.saml.common.exceptions.ProcessingException;
import org.keycloak.saml.processing.api.saml.v2.sig.SAML2Signature;
import org.keycloak.saml.processing.core.util.XMLSignatureUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The signature stage of the ACS. Verification itself is keycloak-saml-core's ({@link SAML2Signature}); these rules
 * decide what it may be asked to verify and what a verified document must look like: allowed algorithms only, one
 * reference per signature to the element it is in, IDs used once, only the enveloped and exclusive c14n transforms,
 * the pinned certificate's key only (never KeyInfo), the Response or the very assertion consumed signed.
 */
final class SamlSignatureRules {

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
    static final String EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    static final Set<String> ALLOWED_TRANSFORMS = Set.of("http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            EXCLUSIVE_C14N);

    private SamlSignatureRules() {
    }

    /**
     * Every rule of this stage, in order: algorithms, references, then the verification of the whole document with
     * the pinned key (every signature in it valid, the root or the assertion signed), then the parsed assertion is
     * the verified element.
     */
    static X509Certificate verify(Document doc, Element assertionElement, AssertionType assertion,
            List<X509Certificate> trusted, boolean allowSha1) throws SsoFailure {
        allowedAlgorithms(doc, allowSha1);
        uniqueIds(doc);
        oneReferenceToItsElement(doc);
        X509Certificate verifiedWith = verifiedWithATrustedKey(doc, assertionElement, trusted);
        consumedIsVerified(assertionElement, assertion);
        return verifiedWith;
    }

    /**
     * The rules for a Response whose assertion is encrypted, run before anything is decrypted: the algorithm, ID and
     * reference rules, and the Response's signature when it carries one (it covers the ciphertext); a signature on
     * any other element is refused. The decrypted assertion then goes through {@link #verifyDecrypted}; the caller
     * requires one of the two to be signed.
     *
     * @return the certificate whose key verified the Response, or {@code null} when the Response is unsigned
     */
    static X509Certificate verifyResponse(Document responseDoc, List<X509Certificate> trusted, boolean allowSha1)
            throws SsoFailure {
        return verifyRoot(responseDoc, trusted, allowSha1);
    }

    /** The signature rules of a decrypted assertion, and its signature when it carries one ({@code null} if not). */
    static X509Certificate verifyDecrypted(Document assertionDoc, AssertionType assertion,
            List<X509Certificate> trusted, boolean allowSha1) throws SsoFailure {
        X509Certificate verifiedWith = verifyRoot(assertionDoc, trusted, allowSha1);
        if (verifiedWith != null) {
            consumedIsVerified(assertionDoc.getDocumentElement(), assertion);
        }
        return verifiedWith;
    }

    /**
     * Every rule on a document whose only allowed signature is on its root element: {@code null} when it carries no
     * signature at all, else the certificate whose key verified it.
     */
    private static X509Certificate verifyRoot(Document doc, List<X509Certificate> trusted, boolean allowSha1)
            throws SsoFailure {
        allowedAlgorithms(doc, allowSha1);
        uniqueIds(doc);
        oneReferenceToItsElement(doc);
        if (doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature").getLength() == 0) {
            return null;
        }
        if (XMLSignatureUtil.getSignature(doc.getDocumentElement()) == null) {
            throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "A signature signs another element than the Response or"
                    + " the assertion.");
        }
        return verifiedWithATrustedKey(doc, doc.getDocumentElement(), trusted);
    }

    /**
     * Anything not on the allow-list is refused before any verification is attempted; RSA-SHA1 and SHA-1 digests
     * only pass for an organization that allowed them ({@link LegacySha1}).
     */
    static void allowedAlgorithms(Document doc, boolean allowSha1) throws SsoFailure {
        NodeList methods = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "SignatureMethod");
        for (int i = 0; i < methods.getLength(); i++) {
            String algorithm = ((Element) methods.item(i)).getAttribute("Algorithm");
            if (!STRONG_SIGNATURES.contains(algorithm) && !legacyAllowed(algorithm, allowSha1)) {
                throw new SsoFailure(SIGNATURE_ALGORITHM, "Signature algorithm " + algorithm + " is not accepted;"
                        + " configure the IdP to sign with RSA-SHA256 or stronger.");
            }
        }
        NodeList digests = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "DigestMethod");
        for (int i = 0; i < digests.getLength(); i++) {
            String algorithm = ((Element) digests.item(i)).getAttribute("Algorithm");
            if (!STRONG_DIGESTS.contains(algorithm) && !legacyAllowed(algorithm, allowSha1)) {
                throw new SsoFailure(SIGNATURE_ALGORITHM, "Digest algorithm " + algorithm + " is not accepted;"
                        + " configure the IdP to use SHA-256 or stronger.");
            }
        }
    }

    /** An ID used twice could make a reference point at another element than the one a reader consumes. */
    static void uniqueIds(Document doc) throws SsoFailure {
        Set<String> ids = new HashSet<>();
        NodeList elements = doc.getElementsByTagName("*");
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            if (e.hasAttribute("ID") && !ids.add(e.getAttribute("ID"))) {
                throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "The ID " + quote(e.getAttribute("ID"))
                        + " is used by more than one element.");
            }
        }
    }

    /**
     * Every signature in the document has one SignedInfo with one Reference to {@code #ID} of the element the
     * signature is the child of (never {@code ""} or another element), exclusive c14n, and only the enveloped
     * signature and exclusive c14n transforms (an XPath or XSLT transform could leave parts of the element unsigned).
     */
    static void oneReferenceToItsElement(Document doc) throws SsoFailure {
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

    /**
     * Verified with the key of one trusted certificate (KeyInfo in the message is ignored), tried one after the
     * other: the whole document must verify with it (every signature in it, each against the element it is the
     * child of), and the Response or its assertion must carry one.
     *
     * @return the certificate whose key verified it
     */
    static X509Certificate verifiedWithATrustedKey(Document doc, Element assertionElement,
            List<X509Certificate> trusted) throws SsoFailure {
        boolean responseSigned = XMLSignatureUtil.getSignature(doc.getDocumentElement()) != null;
        boolean assertionSigned = XMLSignatureUtil.getSignature(assertionElement) != null;
        boolean unverifiable = false;
        if (responseSigned || assertionSigned) {
            for (X509Certificate certificate : trusted) {
                try {
                    // Every signature found is verified by validate(doc): no need to verify any twice.
                    if (new SAML2Signature().validate(doc, new HardcodedKeyLocator(certificate.getPublicKey()))) {
                        return certificate;
                    }
                } catch (ProcessingException | RuntimeException e) {
                    unverifiable = true; // with this key; another may still verify it
                }
            }
        }
        if (unverifiable) {
            throw new SsoFailure(SIGNATURE_INVALID, "The signature could not be verified.");
        }
        throw new SsoFailure(SIGNATURE_INVALID, "Neither the Response nor its assertion carries a valid signature by"
                + (trusted.size() == 1 ? " the configured certificate." : " any of the " + trusted.size()
                        + " trusted certificates."));
    }

    /** The assertion the rest of the checks read is the element that was verified. */
    static void consumedIsVerified(Element assertionElement, AssertionType assertion) throws SsoFailure {
        if (!assertion.getID().equals(assertionElement.getAttribute("ID"))) {
            throw new SsoFailure(SIGNED_ELEMENT_MISMATCH, "The parsed assertion is not the verified element.");
        }
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

    /** The direct children of {@code parent} in the XML signature namespace with that local name. */
    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XMLSignature.XMLNS.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }
}
