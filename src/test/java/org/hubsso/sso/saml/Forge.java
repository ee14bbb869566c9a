package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.TestIdp.ASSERTION_NS;

import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.HMACParameterSpec;
import javax.xml.crypto.dsig.spec.SignatureMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.crypto.dsig.spec.XPathFilterParameterSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Signs an element of a SAML document with the JDK's XML signature API and whatever the attacker chooses: another
 * Reference URI, extra transforms (XPath, XSLT), another signature method or key (HMAC keyed with public bytes).
 * keycloak-saml-core's signer only makes well-formed signatures; these are the ones it never would.
 */
public final class Forge {

    public static final String XPATH_EXCLUDING_NAME_ID =
            "not(ancestor-or-self::*[local-name()='NameID' or local-name()='AttributeValue'])";

    private String referenceUri;
    private final List<Transform> extraTransforms = new ArrayList<>();
    private String signatureMethod = SignatureMethod.RSA_SHA256;
    private SignatureMethodParameterSpec signatureParams;
    private String digestMethod = DigestMethod.SHA256;
    private final XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");

    /** The Reference URI to write instead of {@code #ID} of the signed element. */
    public Forge referenceUri(String uri) {
        this.referenceUri = uri;
        return this;
    }

    /** An XPath filter transform before exclusive c14n: the digest covers only what {@code expression} keeps. */
    public Forge xpath(String expression) {
        try {
            extraTransforms.add(factory.newTransform(Transform.XPATH, new XPathFilterParameterSpec(expression)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public Forge signatureMethod(String uri, SignatureMethodParameterSpec params) {
        this.signatureMethod = uri;
        this.signatureParams = params;
        return this;
    }

    public Forge hmacOutputLength(int bits) {
        return signatureMethod(SignatureMethod.HMAC_SHA1, new HMACParameterSpec(bits));
    }

    /** Signs the first Assertion of {@code doc} with {@code key}, the signature placed after its Issuer. */
    public void signAssertion(Document doc, Key key) {
        Element assertion = (Element) doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion").item(0);
        sign(assertion, key);
    }

    public void sign(Element target, Key key) {
        try {
            target.setIdAttribute("ID", true);
            List<Transform> transforms = new ArrayList<>();
            transforms.add(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null));
            transforms.addAll(extraTransforms);
            transforms.add(factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null));
            String uri = referenceUri != null ? referenceUri : "#" + target.getAttribute("ID");
            Reference reference = factory.newReference(uri, factory.newDigestMethod(digestMethod, null), transforms,
                    null, null);
            SignedInfo info = factory.newSignedInfo(factory.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                    (C14NMethodParameterSpec) null), factory.newSignatureMethod(signatureMethod, signatureParams),
                    List.of(reference));
            Node after = issuerOf(target);
            DOMSignContext context = after != null && after.getNextSibling() != null
                    ? new DOMSignContext(key, target, after.getNextSibling()) : new DOMSignContext(key, target);
            context.setDefaultNamespacePrefix("ds");
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.FALSE);
            factory.newXMLSignature(info, null).sign(context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Element issuerOf(Element target) {
        for (Node n = target.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Issuer".equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
