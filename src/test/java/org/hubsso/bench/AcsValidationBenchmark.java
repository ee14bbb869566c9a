package org.hubsso.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.saml.SamlResponseValidator;
import org.hubsso.sso.saml.TestIdp;
import org.keycloak.rotation.HardcodedKeyLocator;
import org.keycloak.saml.SAMLRequestParser;
import org.keycloak.saml.common.exceptions.ProcessingException;
import org.keycloak.saml.processing.api.saml.v2.sig.SAML2Signature;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The full ACS validation of a response signed on the assertion, against the bare work any SP must do on the
 * same response: parse it and verify its signature. The ratio of the two throughputs is the cost of every
 * other check of the checklist (target: validation at least 70 % of bare).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AcsValidationBenchmark {

    static final String SP = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/metadata";
    static final String ACS = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/acs";

    String encoded;
    HardcodedKeyLocator pinned;
    SamlResponseValidator.Expectations expect;

    @Setup
    public void setUp() {
        TestIdp idp = new TestIdp("http://idp.localhost/realms/bench");
        // Valid for 5 minutes from now: plenty for one JMH fork of this length.
        encoded = idp.answer("_bench-request", SP, ACS, "alice@acme.test").encoded();
        pinned = new HardcodedKeyLocator(idp.certificate.getPublicKey());
        expect = new SamlResponseValidator.Expectations(SP, ACS, idp.entityId, idp.certificate,
                Duration.ofMinutes(2), "email", false);
    }

    @Benchmark
    public boolean bareParseAndVerify() throws ProcessingException {
        SAMLDocumentHolder holder = SAMLRequestParser.parseResponsePostBinding(encoded);
        return new SAML2Signature().validate(holder.getSamlDocument(), pinned);
    }

    @Benchmark
    public Object fullAcsValidation() throws SsoFailure {
        return SamlResponseValidator.validate(encoded, expect, Instant.now());
    }
}
