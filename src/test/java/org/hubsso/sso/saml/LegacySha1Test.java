package org.hubsso.sso.saml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoFailure.Reason;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.saml.SignatureAlgorithm;

/**
 * SHA-1 for a legacy IdP. Surefire runs this class in a JVM of its own started with
 * {@code -Djava.security.properties=server-config/xmldsig-legacy-sha1.security}, as an operator would start the
 * server; every other test class runs with the JDK's default policy.
 */
class LegacySha1Test {

    static final String SP = SamlResponseValidatorTest.SP;
    static final String ACS = SamlResponseValidatorTest.ACS;

    final TestIdp idp = new TestIdp("http://legacy-idp.test/adfs");

    Expectations expect(boolean allowSha1) {
        return new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "email", allowSha1);
    }

    String sha1Answer() {
        return idp.answer(SamlResponseValidatorTest.REQUEST, SP, ACS, "alice@acme.test")
                .algorithm(SignatureAlgorithm.RSA_SHA1).encoded();
    }

    @Test
    void theServerFileLiftsOnlyRsaSha1AndSha1Digests() throws IOException {
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("server-config/xmldsig-legacy-sha1.security"))) {
            file.load(in);
        }
        String relaxed = file.getProperty(LegacySha1.POLICY_PROPERTY);
        assertTrue(LegacySha1.policyAllows(relaxed));
        for (String kept : new String[] {"dsa-sha1", "ecdsa-sha1", "sha1-rsa-MGF1", "rsa-md5", "maxTransforms 5",
                "disallowReferenceUriSchemes file http https", "minKeySize RSA 1024", "noDuplicateIds"}) {
            assertTrue(relaxed.contains(kept), kept);
        }
        assertFalse(LegacySha1.policyAllows(relaxed + ",disallowAlg " + LegacySha1.RSA_SHA1));
        assertFalse(LegacySha1.policyAllows("disallowAlg " + LegacySha1.SHA1 + ", maxTransforms 5"));
    }

    /** In its own execution the policy must be the relaxed one; run alone with -Dtest it is skipped. */
    @BeforeAll
    static void relaxedPolicy() {
        String policy = Security.getProperty(LegacySha1.POLICY_PROPERTY);
        if (Boolean.getBoolean("hub.test.legacySha1")) {
            assertTrue(LegacySha1.jvmAllows(), "the legacy-sha1-policy execution must load the policy file: " + policy);
        }
        assumeTrue(LegacySha1.jvmAllows(), "LegacySha1Test needs the JVM of the surefire execution"
                + " legacy-sha1-policy (./mvnw test runs it); this JVM has the JDK's default policy");
    }

    @Test
    void anOrganizationThatAllowsSha1AcceptsARsaSha1Response() throws SsoFailure {
        var validated = SamlResponseValidator.validate(sha1Answer(), expect(true), Instant.now());
        assertEquals("alice@acme.test", validated.identity().email());
    }

    @Test
    void everyOtherOrganizationStillRefusesSha1() {
        SsoFailure failure = assertThrows(SsoFailure.class,
                () -> SamlResponseValidator.validate(sha1Answer(), expect(false), Instant.now()));
        assertEquals(Reason.SIGNATURE_ALGORITHM, failure.reason());
    }

    @Test
    void aSha1ResponseChangedAfterSigningIsStillRefused() {
        String tampered = TestIdp.mutate(sha1Answer(), doc -> TestIdp.first(doc, TestIdp.ASSERTION_NS, "NameID")
                .setTextContent("mallory@evil.test"));
        SsoFailure failure = assertThrows(SsoFailure.class,
                () -> SamlResponseValidator.validate(tampered, expect(true), Instant.now()));
        assertEquals(Reason.SIGNATURE_INVALID, failure.reason());
    }
}
