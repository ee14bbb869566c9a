package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.DOCTYPE_REJECTED;
import static org.hubsso.sso.SsoFailure.Reason.MALFORMED;
import static org.hubsso.sso.SsoFailure.Reason.REQUEST_TOO_LARGE;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.SsoFailure;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.saml.processing.core.parsers.saml.SAMLParser;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;
import org.keycloak.saml.processing.core.util.JAXPValidationUtil;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * XML hardening, the first stage of the ACS: a posted SAMLResponse becomes a parsed document only when it is
 * bounded in size, base64, free of any DOCTYPE (in every encoding a parser detects), well-formed, at most
 * {@link #MAX_DEPTH} elements deep, and a SAML 2.0 Response. Nothing of it is trusted yet.
 */
final class SamlXml {

    /** Largest accepted SAMLResponse form value (base64) and decoded document. */
    static final int MAX_ENCODED = IdpRequest.MAX_POSTED_ANSWER;
    static final int MAX_DECODED = 192 * 1024;
    /** Deepest element nesting accepted; a SAML Response needs about ten levels. */
    static final int MAX_DEPTH = 64;

    /**
     * The JDK's DOM parser, configured as keycloak-saml-core configures its own (namespace aware, no XInclude, no
     * DOCTYPE, no external entities) plus the JDK's element depth limit. One builder per thread: building one costs
     * about as much as parsing a response, and a builder is not thread-safe.
     */
    private static final DocumentBuilderFactory DOM = domFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SamlXml::newBuilder);
    /** The JDK's message code for {@code MaxElementDepthLimit}, the same in every locale. */
    private static final String DEPTH_LIMIT_CODE = "JAXP00010006:";

    private SamlXml() {
    }

    /** Decodes and parses a posted SAMLResponse once. */
    static SAMLDocumentHolder read(String encoded) throws SsoFailure {
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
        return new SAMLDocumentHolder(response, doc);
    }

    /** Any SAML document (IdP metadata): the one hardened parse, without the SAMLResponse's size and base64 steps. */
    static Document document(byte[] xml) throws SsoFailure {
        if (hasDoctype(xml)) {
            throw new SsoFailure(DOCTYPE_REJECTED, "The document contains <!DOCTYPE.");
        }
        return parse(xml);
    }

    /** An empty document of the hardened builder. */
    static Document newDocument() {
        return BUILDER.get().newDocument();
    }

    /** How an untrusted value is shown in a failure: quoted, cut to 200 characters, control characters replaced. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }

    /**
     * The one parse of the document: well-formed, no DOCTYPE, and nested at most {@link #MAX_DEPTH} elements deep
     * (a SAML Response needs about ten): deeper documents make the recursive DOM walks of the XML library overflow
     * the stack. The JDK's parser enforces the depth while it reads, so 10,000 nested elements stop at the 65th.
     */
    private static Document parse(byte[] xml) throws SsoFailure {
        try {
            return BUILDER.get().parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(DEPTH_LIMIT_CODE)) {
                throw new SsoFailure(MALFORMED, "The response nests elements more than " + MAX_DEPTH + " deep.");
            }
            throw new SsoFailure(MALFORMED, "The SAMLResponse is not well-formed XML.");
        } catch (SAXException | IOException | RuntimeException e) {
            throw new SsoFailure(MALFORMED, "The SAMLResponse is not well-formed XML.");
        }
    }

    /** A DOCTYPE in any encoding an XML parser detects by itself (UTF-8, UTF-16 and UTF-32, either byte order). */
    private static boolean hasDoctype(byte[] xml) {
        if (xml.length > 1 && xml[0] == '<' && xml[1] != 0) {
            // Starts with '<' in a one-byte form: a parser reads it as UTF-8 (or a superset of ASCII).
            return new String(xml, StandardCharsets.UTF_8).contains("<!DOCTYPE");
        }
        for (String charset : List.of("UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            if (new String(xml, Charset.forName(charset)).contains("<!DOCTYPE")) {
                return true;
            }
        }
        return false;
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
            // Fatal errors refuse the document; nothing is printed to stderr.
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
}
