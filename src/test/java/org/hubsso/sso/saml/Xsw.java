package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.TestIdp.ASSERTION_NS;
import static org.hubsso.sso.saml.TestIdp.PROTOCOL_NS;

import java.util.function.Consumer;
import javax.xml.crypto.dsig.XMLSignature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * XML signature wrapping (XSW1–8) as DOM transformations of a signed response, after SAML Raider's
 * {@code XSWHelpers} (Somorovsky et al. 2012). Each takes the signed document and an edit that the attacker applies
 * to the element a naive reader would consume (the evil one); the signed original is kept, unchanged, where the
 * signature's Reference can still find it by its ID.
 * <ul>
 * <li>XSW1/XSW2 (a signed Response): an unsigned copy of the Response goes inside (1) or before (2) the Response's
 * Signature; the outer Response gets a new ID and is edited.</li>
 * <li>XSW3/XSW4 (a signed Assertion): an edited unsigned copy with a new ID goes before the original (3), or
 * wraps it (4: the original moves inside the copy).</li>
 * <li>XSW5/XSW6/XSW8 (a signed Assertion): the signed Assertion itself is edited and given a new ID, and an
 * unsigned copy of the original goes to the end of the Response (5), inside the Signature (6), or inside a
 * {@code ds:Object} in the Signature (8).</li>
 * <li>XSW7 (a signed Assertion): an edited unsigned copy (same ID) goes into an {@code Extensions} element before
 * the original.</li>
 * </ul>
 */
public enum Xsw {
    XSW1, XSW2, XSW3, XSW4, XSW5, XSW6, XSW7, XSW8;

    static final String EVIL_RESPONSE_ID = "_evil_response_ID";
    static final String EVIL_ASSERTION_ID = "_evil_assertion_ID";

    /** Whether the attack needs the Response signed (XSW1/2) rather than the Assertion (XSW3–8). */
    public boolean wrapsResponse() {
        return this == XSW1 || this == XSW2;
    }

    /** Applies this wrapping to a signed document; {@code edit} changes the element a naive reader consumes. */
    public void apply(Document doc, Consumer<Element> edit) {
        switch (this) {
            case XSW1 -> xsw1(doc, edit);
            case XSW2 -> xsw2(doc, edit);
            case XSW3 -> xsw3(doc, edit);
            case XSW4 -> xsw4(doc, edit);
            case XSW5 -> xsw5(doc, edit);
            case XSW6 -> xsw6(doc, edit);
            case XSW7 -> xsw7(doc, edit);
            case XSW8 -> xsw8(doc, edit);
            default -> throw new IllegalStateException();
        }
    }

    public static void xsw1(Document doc, Consumer<Element> edit) {
        Element response = doc.getDocumentElement();
        Element copy = unsignedCopy(response);
        signatureOf(response).appendChild(copy);
        response.setAttribute("ID", EVIL_RESPONSE_ID);
        edit.accept(response);
    }

    public static void xsw2(Document doc, Consumer<Element> edit) {
        Element response = doc.getDocumentElement();
        Element copy = unsignedCopy(response);
        Element signature = signatureOf(response);
        response.insertBefore(copy, signature);
        response.setAttribute("ID", EVIL_RESPONSE_ID);
        edit.accept(response);
    }

    public static void xsw3(Document doc, Consumer<Element> edit) {
        Element assertion = TestIdp.assertion(doc);
        Element evil = unsignedCopy(assertion);
        evil.setAttribute("ID", EVIL_ASSERTION_ID);
        edit.accept(evil);
        doc.getDocumentElement().insertBefore(evil, assertion);
    }

    public static void xsw4(Document doc, Consumer<Element> edit) {
        Element assertion = TestIdp.assertion(doc);
        Element evil = unsignedCopy(assertion);
        evil.setAttribute("ID", EVIL_ASSERTION_ID);
        edit.accept(evil);
        doc.getDocumentElement().appendChild(evil);
        evil.appendChild(assertion);
    }

    public static void xsw5(Document doc, Consumer<Element> edit) {
        Element evil = TestIdp.assertion(doc);
        Element original = unsignedCopy(evil);
        doc.getDocumentElement().appendChild(original);
        evil.setAttribute("ID", EVIL_ASSERTION_ID);
        edit.accept(evil);
    }

    public static void xsw6(Document doc, Consumer<Element> edit) {
        Element evil = TestIdp.assertion(doc);
        Element signature = signatureOf(evil);
        Element original = unsignedCopy(evil);
        signature.appendChild(original);
        evil.setAttribute("ID", EVIL_ASSERTION_ID);
        edit.accept(evil);
    }

    public static void xsw7(Document doc, Consumer<Element> edit) {
        Element assertion = TestIdp.assertion(doc);
        Element extensions = doc.createElementNS(PROTOCOL_NS, "samlp:Extensions");
        doc.getDocumentElement().insertBefore(extensions, assertion);
        Element evil = unsignedCopy(assertion);
        edit.accept(evil);
        extensions.appendChild(evil);
    }

    public static void xsw8(Document doc, Consumer<Element> edit) {
        Element evil = TestIdp.assertion(doc);
        Element signature = signatureOf(evil);
        Element original = unsignedCopy(evil);
        Element object = doc.createElementNS(XMLSignature.XMLNS, "ds:Object");
        signature.appendChild(object);
        object.appendChild(original);
        evil.setAttribute("ID", EVIL_ASSERTION_ID);
        edit.accept(evil);
    }

    /** Sets the NameID (and the email attribute, if any) of the first assertion in {@code scope}. */
    public static Consumer<Element> claim(String email) {
        return scope -> {
            Element nameId = (Element) scope.getElementsByTagNameNS(ASSERTION_NS, "NameID").item(0);
            nameId.setTextContent(email);
            var values = scope.getElementsByTagNameNS(ASSERTION_NS, "AttributeValue");
            if (values.getLength() > 0) {
                values.item(0).setTextContent(email);
            }
        };
    }

    /** A deep copy without the signature that is its direct child. */
    static Element unsignedCopy(Element signed) {
        Element copy = (Element) signed.cloneNode(true);
        Element signature = signatureOf(copy);
        if (signature != null) {
            copy.removeChild(signature);
        }
        return copy;
    }

    /** The ds:Signature that is a direct child of {@code parent}, or {@code null}. */
    static Element signatureOf(Element parent) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XMLSignature.XMLNS.equals(e.getNamespaceURI())
                    && "Signature".equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
