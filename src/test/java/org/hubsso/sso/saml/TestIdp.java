package org.hubsso.sso.saml;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.saml.BaseSAML2BindingBuilder;
import org.keycloak.saml.SAML2LoginResponseBuilder;
import org.keycloak.saml.SignatureAlgorithm;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;
import org.keycloak.saml.common.util.DocumentUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * An identity provider for tests: its own RSA key and self-signed certificate, and SAML Responses built and
 * signed with keycloak-saml-core. {@link Answer} describes one response; tweaks change exactly one item of it
 * before signing, {@link #mutate} changes a signed response afterwards (for wrapping attacks).
 */
public final class TestIdp {

    public static final String ASSERTION_NS = JBossSAMLURIConstants.ASSERTION_NSURI.get();
    public static final String PROTOCOL_NS = JBossSAMLURIConstants.PROTOCOL_NSURI.get();

    public enum Sign { ASSERTION, RESPONSE, BOTH, NONE }

    public final String entityId;
    public final KeyPair keys;
    public final X509Certificate certificate;

    public TestIdp(String entityId) {
        this(entityId, java.time.Instant.now().minusSeconds(3600), java.time.Instant.now().plus(
                java.time.Duration.ofDays(365)));
    }

    /** An IdP whose certificate is valid from {@code notBefore} to {@code notAfter} (expired ones too, for tests). */
    public TestIdp(String entityId, java.time.Instant notBefore, java.time.Instant notAfter) {
        this.entityId = entityId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + entityId.replaceAll("[^A-Za-z0-9.-]", "-"));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), name,
                    keys.getPublic());
            this.certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This IdP's SAML metadata: its entity ID, the HTTP-Redirect Sign-On URL and the signing certificates given (during
     * a rollover, the current and the next), as an IdP publishes it at its metadata URL.
     */
    public String metadata(String signOnUrl, X509Certificate... signing) {
        StringBuilder keys = new StringBuilder();
        for (X509Certificate cert : signing) {
            try {
                keys.append("<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>")
                        .append(Base64.getEncoder().encodeToString(cert.getEncoded()))
                        .append("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
                + " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ID=\"_md-" + System.nanoTime() + "\" entityID=\""
                + entityId + "\"><md:IDPSSODescriptor"
                + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + keys + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\""
                + " Location=\"" + signOnUrl + "\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    /** {@link #metadata} signed with {@code by}'s key (enveloped, exclusive c14n, RSA-SHA256). */
    public String signedMetadata(TestIdp by, String signOnUrl, X509Certificate... signing) {
        try {
            Document doc = DocumentUtil.getDocument(metadata(signOnUrl, signing));
            new BaseSAML2BindingBuilder().signatureAlgorithm(SignatureAlgorithm.RSA_SHA256)
                    .signWith("idp-key", by.keys, by.certificate).signDocument(doc);
            return DocumentUtil.getDocumentAsString(doc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String certificatePem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Answer answer(String inResponseTo, String spEntityId, String acsUrl, String email) {
        return new Answer(inResponseTo, spEntityId, acsUrl, email);
    }

    /** One response, valid unless changed. */
    public final class Answer {
        final String inResponseTo;
        final String spEntityId;
        final String acsUrl;
        final String email;
        Sign sign = Sign.ASSERTION;
        SignatureAlgorithm algorithm = SignatureAlgorithm.RSA_SHA256;
        KeyPair signingKeys = keys;
        X509Certificate signingCertificate = certificate;
        List<String> groups = List.of("hub-admins", "ml-team");
        Consumer<Document> tweak = d -> { };
        java.security.PublicKey encryptTo;
        String nameIdFormat = JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get();
        String nameIdValue;
        java.util.Map<String, List<String>> attributes;
        String attributeNameFormat = JBossSAMLURIConstants.ATTRIBUTE_FORMAT_BASIC.get();
        String contentEncryption = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
        String keyTransport = "http://www.w3.org/2009/xmlenc11#rsa-oaep";

        Answer(String inResponseTo, String spEntityId, String acsUrl, String email) {
            this.inResponseTo = inResponseTo;
            this.spEntityId = spEntityId;
            this.acsUrl = acsUrl;
            this.email = email;
        }

        /** The values of the {@code groups} attribute (default: hub-admins, ml-team). */
        public Answer groups(String... values) {
            this.groups = List.of(values);
            return this;
        }

        public Answer sign(Sign how) {
            this.sign = how;
            return this;
        }

        public Answer algorithm(SignatureAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /** Signs with another key pair, putting that key's certificate into KeyInfo. */
        public Answer signedBy(TestIdp other) {
            this.signingKeys = other.keys;
            this.signingCertificate = other.certificate;
            return this;
        }

        /**
         * Encrypts the assertion to {@code key} (after signing it, before signing the Response, as IdPs do), with
         * AES-256-GCM and RSA-OAEP unless {@link #encryptedWith} says otherwise.
         */
        public Answer encryptTo(java.security.PublicKey key) {
            this.encryptTo = key;
            return this;
        }

        public Answer encryptedWith(String content, String transport) {
            this.contentEncryption = content;
            this.keyTransport = transport;
            return this;
        }

        /** Another NameID than the email with the email format (a transient, persistent or UPN NameID). */
        public Answer nameId(String format, String value) {
            this.nameIdFormat = format;
            this.nameIdValue = value;
            return this;
        }

        /**
         * These attributes instead of {@code email} and {@code groups}, as an IdP names them, with this NameFormat
         * ({@code null}: none, as Entra ID and ADFS send them).
         */
        public Answer attributes(java.util.Map<String, List<String>> attributes, String nameFormat) {
            this.attributes = attributes;
            this.attributeNameFormat = nameFormat;
            return this;
        }

        /** Changes the unsigned document; the change is then signed like the rest. */
        public Answer tweak(Consumer<Document> change) {
            this.tweak = this.tweak.andThen(change);
            return this;
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        public String encoded() {
            try {
                SAML2LoginResponseBuilder builder = new SAML2LoginResponseBuilder()
                        .issuer(entityId)
                        .destination(acsUrl)
                        .requestID(inResponseTo)
                        .requestIssuer(spEntityId)
                        .nameIdentifier(nameIdFormat, nameIdValue == null ? email : nameIdValue)
                        .authMethod(JBossSAMLURIConstants.AC_PASSWORD_PROTECTED_TRANSPORT.get())
                        .assertionExpiration(300)
                        .subjectExpiration(300)
                        .sessionIndex("idp-session-1");
                ResponseType model = builder.buildModel();
                AssertionType assertion = model.getAssertions().get(0).getAssertion();
                AttributeStatementType attributes = new AttributeStatementType();
                if (this.attributes == null) {
                    attributes.addAttribute(new AttributeStatementType.ASTChoiceType(attribute("email", email)));
                    attributes.addAttribute(new AttributeStatementType.ASTChoiceType(attribute("groups",
                            groups.toArray())));
                } else {
                    this.attributes.forEach((name, values) -> {
                        AttributeType attribute = attribute(name, values.toArray());
                        attribute.setNameFormat(attributeNameFormat);
                        attributes.addAttribute(new AttributeStatementType.ASTChoiceType(attribute));
                    });
                }
                assertion.addStatement(attributes);
                Document doc = builder.buildDocument(model);
                tweak.accept(doc);
                BaseSAML2BindingBuilder binding = new BaseSAML2BindingBuilder();
                if (encryptTo != null) {
                    int bits = contentEncryption.contains("128") ? 128 : contentEncryption.contains("192") ? 192
                            : 256;
                    binding.encrypt(encryptTo).encryptionAlgorithm(contentEncryption).encryptionKeySize(bits)
                            .keyEncryptionAlgorithm(keyTransport);
                }
                if (sign != Sign.NONE) {
                    binding.signatureAlgorithm(algorithm).signWith("idp-key", signingKeys, signingCertificate);
                    if (sign == Sign.ASSERTION || sign == Sign.BOTH) {
                        binding.signAssertions();
                    }
                    if (sign == Sign.RESPONSE || sign == Sign.BOTH) {
                        binding.signDocument();
                    }
                }
                return binding.postBinding(doc).encoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Changes a signed, encoded response (to forge what an attacker would). */
    public static String mutate(String encoded, Consumer<Document> change) {
        try {
            Document doc = DocumentUtil.getDocument(new String(Base64.getDecoder().decode(encoded),
                    StandardCharsets.UTF_8));
            change.accept(doc);
            return Base64.getEncoder().encodeToString(DocumentUtil.getDocumentAsString(doc)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Element first(Document doc, String ns, String localName) {
        return (Element) doc.getElementsByTagNameNS(ns, localName).item(0);
    }

    public static Element assertion(Document doc) {
        return first(doc, ASSERTION_NS, "Assertion");
    }

    private static AttributeType attribute(String name, Object... values) {
        AttributeType attribute = new AttributeType(name);
        attribute.setNameFormat(JBossSAMLURIConstants.ATTRIBUTE_FORMAT_BASIC.get());
        for (Object value : values) {
            attribute.addAttributeValue(value);
        }
        return attribute;
    }
}
