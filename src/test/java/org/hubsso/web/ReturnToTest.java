package org.hubsso.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/acme", "/acme/tiny-bert", "/new?org=acme", "/acme/x%2Fy?a=1&b=2#frag"})
    void keepsSameOriginPaths(String path) {
        assertEquals(path, ReturnTo.sanitize(path, "/fallback"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.test", "/\\evil.test", "https://evil.test/", "javascript:alert(1)",
        "evil.test", "/acme\r\nSet-Cookie: x=1", "/acme\u0000", "/ac me", "/acmé", "\\\\evil", " /acme",
        "JavaScript:alert(1)", "http:/evil.test", "/\t/evil.test", "/\\/evil.test", "//", "///evil.test",
        "data:text/html,x", "%2F%2Fevil.test"})
    void refusesEverythingElse(String value) {
        assertEquals("/fallback", ReturnTo.sanitize(value, "/fallback"));
    }

    @org.junit.jupiter.api.Test
    void refusesEmptyAndOverlongValues() {
        assertEquals("/fallback", ReturnTo.sanitize(null, "/fallback"));
        assertEquals("/fallback", ReturnTo.sanitize("", "/fallback"));
        assertEquals("/fallback", ReturnTo.sanitize("/" + "a".repeat(ReturnTo.MAX_LENGTH), "/fallback"));
    }
}
