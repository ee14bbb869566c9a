package org.hubsso.sso.saml;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SamlResponseFuzzTest}'s target for 30 minutes, on demand only (its name does not end in Test, so no
 * Surefire execution picks it up by itself; Jazzer fuzzes one @FuzzTest per JVM):
 * {@code ./mvnw test-compile surefire:test@fuzz -Dtest=SamlResponseFuzzLong}.
 */
class SamlResponseFuzzLong {

    @BeforeAll
    static void seeds() {
        SamlResponseFuzzTest.seeds();
    }

    @FuzzTest(maxDuration = "30m")
    void validateFuzzLong(FuzzedDataProvider data) {
        SamlResponseFuzzTest.validateOnce(data);
    }
}
