package org.hubsso.sso.saml;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.ValidatedAnswer;
import org.hubsso.sso.saml.SamlResponseValidator.Expectations;
import org.hubsso.sso.saml.TestIdp.Sign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the ACS entry point {@link SamlResponseValidator#validate} with Jazzer. Two oracles: the only accepted way
 * to fail is {@link SsoFailure} (any other exception or error, a parser's runtime exception, a stack overflow, an
 * endless loop caught by Jazzer's timeout, fails the test); and an answer is accepted only as what its signed
 * content says: a changed input that passes must yield exactly what an unchanged seed yields (request, assertion,
 * validity, and who the user is), so a change that alters what the hub would believe fails the test. Inputs start
 * from valid responses of the in-test IdP (signed on the assertion, the Response or both) and are changed by
 * splicing fuzzer bytes in at a chosen place, by replacing a chosen element's text or attribute, or are the
 * fuzzer's bytes alone, base64-encoded or not.
 *
 * <p>The {@code fuzz} Surefire execution sets {@code JAZZER_FUZZ=1} and runs {@link #validateFuzz} for 25 seconds
 * in every {@code ./mvnw test} (elsewhere, without {@code JAZZER_FUZZ}, Jazzer only replays the saved inputs). For a
 * longer run, {@link SamlResponseFuzzLong} fuzzes the same target for 30 minutes:
 * {@code ./mvnw test-compile surefire:test@fuzz -Dtest=SamlResponseFuzzLong}. Jazzer keeps its corpus in
 * {@code .cifuzz-corpus/} and writes an input that failed under {@code src/test/resources}.
 */
class SamlResponseFuzzTest {

    static final String SP = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/metadata";
    static final String ACS = "http://127.0.0.1:8080/organizations/0123456789abcdef01234567/saml/acs";

    static TestIdp idp;
    static Expectations expect;
    static Instant now;
    static String[] seeds;
    /** What the unchanged seeds are accepted as: the only outcomes a changed input may have besides a failure. */
    static Set<ValidatedAnswer> signedOutcomes;

    @BeforeAll
    public static void seeds() {
        idp = new TestIdp("http://idp.test/realms/fuzz");
        expect = new Expectations(SP, ACS, idp.entityId, idp.certificate, Duration.ofMinutes(2), "email", false);
        now = Instant.now().plusSeconds(1);
        seeds = new String[] {
            xml(idp.answer("_req-1", SP, ACS, "alice@acme.test").sign(Sign.ASSERTION).encoded()),
            xml(idp.answer("_req-1", SP, ACS, "alice@acme.test").sign(Sign.RESPONSE).encoded()),
            xml(idp.answer("_req-1", SP, ACS, "alice@acme.test").sign(Sign.BOTH).encoded()),
        };
        signedOutcomes = new HashSet<>();
        for (String seed : seeds) {
            try {
                signedOutcomes.add(SamlResponseValidator.validate(b64(seed), expect, now));
            } catch (SsoFailure e) {
                throw new IllegalStateException("a seed is refused: " + e.reason(), e);
            }
        }
    }

    @FuzzTest(maxDuration = "25s")
    void validateFuzz(FuzzedDataProvider data) {
        validateOnce(data);
    }

    public static void validateOnce(FuzzedDataProvider data) {
        check(input(data));
    }

    /** The oracle can fail: a validly signed answer saying something else than the seeds is caught. */
    @Test
    void anAcceptedAnswerThatSaysSomethingElseFailsTheOracle() {
        for (String seed : seeds) {
            check(b64(seed));
        }
        String bob = idp.answer("_req-1", SP, ACS, "bob@acme.test").sign(Sign.ASSERTION).encoded();
        assertThrows(AssertionError.class, () -> check(bob));
    }

    /** Refused with an {@link SsoFailure}, or accepted as exactly what a seed's signed content says. */
    static void check(String encoded) {
        ValidatedAnswer accepted;
        try {
            accepted = SamlResponseValidator.validate(encoded, expect, now);
        } catch (SsoFailure expected) {
            return; // the defined rejection
        }
        if (!signedOutcomes.contains(accepted)) {
            throw new AssertionError("accepted as something its signature does not vouch for: " + accepted
                    + "\ninput: " + encoded);
        }
    }

    /** A hostile SAMLResponse value built from the fuzzer's bytes. */
    static String input(FuzzedDataProvider data) {
        String seed = seeds[data.consumeInt(0, seeds.length - 1)];
        switch (data.consumeInt(0, 4)) {
            case 0 -> { // splice bytes in at a place of a valid response
                int at = data.consumeInt(0, seed.length());
                int cut = data.consumeInt(0, Math.min(64, seed.length() - at));
                return b64(seed.substring(0, at) + data.consumeString(512) + seed.substring(at + cut));
            }
            case 1 -> { // replace the text of the n-th element
                return b64(replaceNth(seed, ">", "<", data.consumeInt(0, 60), data.consumeString(256)));
            }
            case 2 -> { // replace the n-th attribute value
                return b64(replaceNth(seed, "=\"", "\"", data.consumeInt(0, 80), data.consumeString(256)));
            }
            case 3 -> { // the fuzzer's bytes as the document
                return Base64.getEncoder().encodeToString(data.consumeRemainingAsBytes());
            }
            default -> { // the fuzzer's characters as the form value itself
                return data.consumeRemainingAsString();
            }
        }
    }

    private static String replaceNth(String xml, String open, String close, int n, String with) {
        int from = -1;
        for (int i = 0; i <= n; i++) {
            from = xml.indexOf(open, from + 1);
            if (from < 0) {
                return xml;
            }
        }
        int start = from + open.length();
        int end = xml.indexOf(close, start);
        return end < 0 ? xml : xml.substring(0, start) + with + xml.substring(end);
    }

    private static String xml(String encoded) {
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    private static String b64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }
}
