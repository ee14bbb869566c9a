package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "ACME-Research", "a1", "deep_mind.labs", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void acceptsOrganizationNames(String name) {
        assertEquals(name, Names.requireNamespace("name", "  " + name + " "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "-acme", "acme-", ".acme", "ac..me", "ac--me", "ac me", "acmé", "ac/me",
        "<script>", "acme\u0000", "organizations", "Settings", "login", "new"})
    void rejectsBadOrReservedOrganizationNames(String name) {
        ValidationException e = assertThrows(ValidationException.class, () -> Names.requireNamespace("name", name));
        assertEquals("name", e.getField());
    }

    @Test
    void lengthLimitsAreEnforced() {
        assertThrows(ValidationException.class, () -> Names.requireNamespace("name", "x".repeat(41)));
        assertEquals("x".repeat(96), Names.requireRepoName("name", "x".repeat(96)));
        assertThrows(ValidationException.class, () -> Names.requireRepoName("name", "x".repeat(97)));
        assertThrows(ValidationException.class, () -> Names.requireText("readme", "x".repeat(20001), 20000));
        assertEquals("a\nb", Names.requireText("readme", "a\r\nb", 20000));
    }

    @Test
    void emptyInputIsRequired() {
        ValidationException e = assertThrows(ValidationException.class, () -> Names.requireNamespace("name", " "));
        assertEquals("Required.", e.getMessage());
        assertThrows(ValidationException.class, () -> Names.requireEmail("email", null));
        assertThrows(ValidationException.class, () -> Names.requirePassword("password", new char[0]));
    }

    @Test
    void displayNamesFallBackAndRejectControlCharacters() {
        assertEquals("acme", Names.requireDisplayName("displayName", "  ", "acme"));
        assertEquals("ACME Research", Names.requireDisplayName("displayName", " ACME Research ", "acme"));
        assertThrows(ValidationException.class, () -> Names.requireDisplayName("displayName", "a\u0007b", "x"));
        assertThrows(ValidationException.class, () -> Names.requireDisplayName("displayName", "x".repeat(101), "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@acme.test", "a.b+tag@sub.example.org", "X@Y.io"})
    void acceptsEmails(String email) {
        assertEquals(email, Names.requireEmail("email", email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@", "@acme.test", "alice@-acme.test", "ali ce@acme.test",
        "alice@acme.test\nBcc: x@y.z", "ａlice@acme.test"})
    void rejectsMalformedEmails(String email) {
        assertThrows(ValidationException.class, () -> Names.requireEmail("email", email));
    }

    @Test
    void lookAlikesNeverFoldOntoAnAsciiAddress() {
        String kate = Names.emailKey("kate@acme.test");
        assertEquals(kate, Names.emailKey("KATE@ACME.TEST"));
        for (String lookAlike : new String[] {
            "\u212Aate@acme.test",                      // Kelvin sign: toLowerCase() would give "kate"
            "\uFF2B\uFF41\uFF54\uFF45@acme.test",        // full-width letters
            "k\u0430te@acme.test",                      // Cyrillic a
            "kate@acme.tes\u0074\u0307",               // combining dot
            "kate@\u0430cme.test"}) {
            org.junit.jupiter.api.Assertions.assertNotEquals(kate, Names.emailKey(lookAlike), lookAlike);
        }
        org.junit.jupiter.api.Assertions.assertNotEquals(Names.emailKey("admin@acme.test"),
                Names.emailKey("ADM\u0130N@acme.test"), "dotted capital I");
    }

    @Test
    void emailsCompareCaseInsensitively() {
        assertEquals(Names.emailKey("alice@acme.test"), Names.emailKey(" ALICE@Acme.Test "));
    }

    @Test
    void passwordLengthIsBounded() {
        char[] ok = "ten-chars!".toCharArray();
        assertArrayEquals(ok, Names.requirePassword("password", ok));
        assertThrows(ValidationException.class, () -> Names.requirePassword("password", "nine-char".toCharArray()));
        assertThrows(ValidationException.class,
                () -> Names.requirePassword("password", "x".repeat(201).toCharArray()));
    }
}
