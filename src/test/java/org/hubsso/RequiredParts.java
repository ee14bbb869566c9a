package org.hubsso;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a part of the machine (a browser, a PostgreSQL server) skip with a clear message when it is
 * absent on a developer's machine, and fail instead when {@code CI=true}: CI must run them.
 */
public final class RequiredParts {

    private RequiredParts() {
    }

    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (or fails it on CI) when {@code present} is false. */
    public static void require(boolean present, String part, String howToGetIt) {
        String message = part + " is not available: " + howToGetIt;
        if (!present && onCi()) {
            throw new AssertionError(message + " (CI=true: this test must run on CI)");
        }
        Assumptions.assumeTrue(present, message + ". Skipping.");
    }
}
