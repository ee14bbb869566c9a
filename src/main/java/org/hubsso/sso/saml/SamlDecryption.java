package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.ASSERTION_COUNT;
import static org.hubsso.sso.SsoFailure.Reason.DECRYPTION_FAILED;
import static org.hubsso.sso.SsoFailure.Reason.ENCRYPTION_ALGORITHM;
import static org.hubsso.sso.saml.SamlAssertionRules.ASSERTION_NS;
import static org.hubsso.sso.saml.SamlXml.quote;

import java.security.PrivateKey;
import java.util.List;
import java.util.Set;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.saml.processing.core.parsers.saml.SAMLParser;
import org.keycloak.saml.processing.core.util.JAXPValidationUtil;
import org.keycloak.saml.processing.core.util.XMLEncryptionUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The decryption stage of the ACS, for a Response that carries its assertion as an {@code EncryptedAssertion}: one
 * of them, a direct child of the Response, and no plain assertion beside it; key transport by RSA-OAEP only (never
 * RSA 1.5, open to Bleichenbacher's attack) and content encryption by AES-GCM or AES-CBC, checked before anything is
 * decrypted; decryption itself is keycloak-saml-core's (Apache Santuario's {@code XMLCipher}) with the
 * organization's encryption keys. Every way decryption can fail reads the same ({@code decryption-failed}, one
 * message): an attacker who alters the ciphertext learns nothing from the answer about padding or content. The
 * decrypted assertion is a document of its own, held to the XML stage's limits, and then goes through every check
 * a plain one does.
 */
final class SamlDecryption {

    static final String XMLENC_NS = "http://www.w3.org/2001/04/xmlenc#";
    static final Set<String> CONTENT_ALGORITHMS = Set.of(
            "http://www.w3.org/2009/xmlenc11#aes128-gcm",
            "http://www.w3.org/2009/xmlenc11#aes192-gcm",
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc");
    static final Set<String> KEY_TRANSPORT_ALGORITHMS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep");
    /** An IdP encrypting to several recipients adds an EncryptedKey per recipient; a handful is plenty. */
    static final int MAX_ENCRYPTED_KEYS = 4;

    private SamlDecryption() {
    }

    /**
     * The one EncryptedAssertion of the response, or {@code null} when it carries none (then the plain assertion
     * rules apply).
     */
    static Element encryptedAssertion(Document doc, ResponseType response) throws SsoFailure {
        NodeList encrypted = doc.getElementsByTagNameNS(ASSERTION_NS, "EncryptedAssertion");
        if (encrypted.getLength() == 0) {
            return null;
        }
        NodeList plain = doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion");
        if (encrypted.getLength() != 1 || plain.getLength() != 0 || response.getAssertions().size() != 1
                || response.getAssertions().get(0).getEncryptedAssertion() == null) {
            throw new SsoFailure(ASSERTION_COUNT, "Found " + encrypted.getLength() + " encrypted and "
                    + plain.getLength() + " plain assertion element(s); exactly one assertion is accepted.");
        }
        Element element = (Element) encrypted.item(0);
        if (element.getParentNode() != doc.getDocumentElement()) {
            throw new SsoFailure(ASSERTION_COUNT, "The encrypted assertion is not a direct child of the Response.");
        }
        return element;
    }

    /**
     * Only the allowed algorithms, before any decryption: the EncryptedData's content encryption and every
     * EncryptedKey's key transport.
     */
    static void allowedAlgorithms(Element encryptedAssertion) throws SsoFailure {
        NodeList data = encryptedAssertion.getElementsByTagNameNS(XMLENC_NS, "EncryptedData");
        NodeList keys = encryptedAssertion.getElementsByTagNameNS(XMLENC_NS, "EncryptedKey");
        if (data.getLength() != 1 || keys.getLength() < 1 || keys.getLength() > MAX_ENCRYPTED_KEYS) {
            throw new SsoFailure(DECRYPTION_FAILED, "The encrypted assertion must hold one EncryptedData and its"
                    + " EncryptedKey (found " + data.getLength() + " and " + keys.getLength() + ").");
        }
        String content = algorithm((Element) data.item(0));
        if (!CONTENT_ALGORITHMS.contains(content)) {
            throw new SsoFailure(ENCRYPTION_ALGORITHM, "Content encryption " + quote(content) + " is not accepted;"
                    + " the IdP must encrypt with AES-GCM or AES-CBC.");
        }
        for (int i = 0; i < keys.getLength(); i++) {
            String transport = algorithm((Element) keys.item(i));
            if (!KEY_TRANSPORT_ALGORITHMS.contains(transport)) {
                throw new SsoFailure(ENCRYPTION_ALGORITHM, "Key transport " + quote(transport) + " is not accepted;"
                        + " the IdP must use RSA-OAEP (never RSA 1.5).");
            }
        }
    }

    /**
     * The decrypted assertion, as the root of a document of its own.
     *
     * @param keys the organization's encryption keys that may have been used, tried in order
     */
    static Document decrypt(Element encryptedAssertion, List<PrivateKey> keys) throws SsoFailure {
        if (keys.isEmpty()) {
            throw new SsoFailure(DECRYPTION_FAILED, "The assertion is encrypted, but this organization has no"
                    + " encryption key.");
        }
        Element decrypted;
        try {
            Document copy = SamlXml.newDocument();
            copy.appendChild(copy.importNode(encryptedAssertion, true));
            decrypted = XMLEncryptionUtil.decryptElementInDocument(copy, encryptedData -> keys);
        } catch (Exception | StackOverflowError e) {
            decrypted = null;
        }
        if (decrypted == null || !ASSERTION_NS.equals(decrypted.getNamespaceURI())
                || !"Assertion".equals(decrypted.getLocalName()) || decrypted.getOwnerDocument().getDoctype() != null
                || deeperThan(decrypted, SamlXml.MAX_DEPTH)) {
            throw failed();
        }
        return decrypted.getOwnerDocument();
    }

    /** The decrypted assertion, parsed as keycloak-saml-core parses a plain one. */
    static AssertionType parse(Document assertion) throws SsoFailure {
        try {
            JAXPValidationUtil.checkSchemaValidation(assertion);
            if (SAMLParser.getInstance().parse(assertion) instanceof AssertionType parsed) {
                return parsed;
            }
        } catch (Exception e) {
            // reported below, the same as any other failure to decrypt
        }
        throw failed();
    }

    private static SsoFailure failed() {
        return new SsoFailure(DECRYPTION_FAILED, "The encrypted assertion could not be decrypted with this"
                + " organization's encryption key: the IdP must encrypt to the key in this organization's SP"
                + " metadata.");
    }

    private static String algorithm(Element encrypted) {
        for (Node n = encrypted.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XMLENC_NS.equals(e.getNamespaceURI())
                    && "EncryptionMethod".equals(e.getLocalName())) {
                return e.getAttribute("Algorithm");
            }
        }
        return null;
    }

    /** Whether any element lies deeper than {@code max} below {@code root}, walked without recursion. */
    static boolean deeperThan(Element root, int max) {
        int depth = 1;
        Node n = root;
        while (n != null) {
            Node child = n.getFirstChild();
            while (child != null && child.getNodeType() != Node.ELEMENT_NODE) {
                child = child.getNextSibling();
            }
            if (child != null) {
                n = child;
                if (++depth > max) {
                    return true;
                }
                continue;
            }
            while (n != null && n != root) {
                Node sibling = n.getNextSibling();
                while (sibling != null && sibling.getNodeType() != Node.ELEMENT_NODE) {
                    sibling = sibling.getNextSibling();
                }
                if (sibling != null) {
                    n = sibling;
                    break;
                }
                n = n.getParentNode();
                depth--;
            }
            if (n == root) {
                return false;
            }
        }
        return false;
    }
}
