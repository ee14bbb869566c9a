package org.hubsso.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.xml.crypto.dsig.XMLSignature;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.SpKey;
import org.hubsso.sso.SpKey.State;
import org.hubsso.sso.SpKey.Use;
import org.junit.jupiter.api.Test;
import org.keycloak.dom.saml.v2.metadata.EntityDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyDescriptorType;
import org.keycloak.dom.saml.v2.metadata.KeyTypes;
import org.keycloak.dom.saml.v2.metadata.SPSSODescriptorType;
import org.keycloak.saml.processing.core.saml.v2.util.SAMLMetadataUtil;

/** The SP metadata as an IdP imports it: entity, ACS, whether requests are signed, and the published keys. */
class SpMetadataTest {

    static final String SP = SamlResponseValidatorTest.SP;
    static final String ACS = SamlResponseValidatorTest.ACS;

    @Test
    void publishesSigningAndEncryptionKeysAndSaysRequestsAreSigned() throws Exception {
        TestIdp a = new TestIdp("a");
        TestIdp b = new TestIdp("b");
        TestIdp c = new TestIdp("c");
        SpKey signing = key(Use.SIGNING, State.ACTIVE, a);
        SpKey nextSigning = key(Use.SIGNING, State.NEXT, b);
        SpKey encryption = key(Use.ENCRYPTION, State.ACTIVE, c);
        SPSSODescriptorType sp = descriptor(SamlClient.metadata(SP, ACS, true, List.of(signing, nextSigning),
                List.of(encryption)));
        assertEquals(Boolean.TRUE, sp.isAuthnRequestsSigned());
        assertEquals(Boolean.TRUE, sp.isWantAssertionsSigned());
        assertEquals(ACS, String.valueOf(sp.getAssertionConsumerService().get(0).getLocation()));
        List<KeyDescriptorType> keys = sp.getKeyDescriptor();
        assertEquals(List.of(KeyTypes.SIGNING, KeyTypes.SIGNING, KeyTypes.ENCRYPTION),
                keys.stream().map(KeyDescriptorType::getUse).toList());
        assertEquals(List.of(signing.sha256(), nextSigning.sha256(), encryption.sha256()),
                keys.stream().map(SpMetadataTest::fingerprint).toList());
        assertTrue(keys.get(2).getEncryptionMethod().stream().map(m -> m.getAlgorithm())
                .anyMatch("http://www.w3.org/2009/xmlenc11#aes256-gcm"::equals));
        assertTrue(keys.get(2).getEncryptionMethod().stream().map(m -> m.getAlgorithm())
                .noneMatch(alg -> alg.contains("rsa-1_5") || alg.contains("tripledes")));
    }

    @Test
    void saysRequestsAreUnsignedWhenTheyAreNot() throws Exception {
        TestIdp a = new TestIdp("a");
        SPSSODescriptorType sp = descriptor(SamlClient.metadata(SP, ACS, false,
                List.of(key(Use.SIGNING, State.ACTIVE, a)), List.of(key(Use.ENCRYPTION, State.ACTIVE, a))));
        assertEquals(Boolean.FALSE, sp.isAuthnRequestsSigned());
    }

    static SPSSODescriptorType descriptor(String xml) throws Exception {
        EntityDescriptorType entity = SAMLMetadataUtil.parseEntityDescriptorType(xml);
        assertEquals(SP, entity.getEntityID());
        return entity.getChoiceType().get(0).getDescriptors().get(0).getSpDescriptor();
    }

    static String fingerprint(KeyDescriptorType key) {
        try {
            String base64 = key.getKeyInfo().getElementsByTagNameNS(XMLSignature.XMLNS, "X509Certificate").item(0)
                    .getTextContent();
            return IdpCertificate.sha256Fingerprint((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SpKey key(Use use, State state, TestIdp holder) {
        KeyPair keys = holder.keys;
        return new SpKey(IdpCertificate.sha256Fingerprint(holder.certificate), use, state, holder.certificate,
                keys.getPrivate(), Instant.now(), null);
    }
}
