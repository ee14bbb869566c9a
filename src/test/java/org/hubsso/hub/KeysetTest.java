package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The parts of keyset paging that need no database; the paging itself is tested on real data in HubIT. */
class KeysetTest {

    @Test
    void searchWildcardsAreTakenLiterally() {
        assertEquals("a!%b!_c!!d", Keyset.escape("a%b_c!d"));
        assertEquals("plain-name.x", Keyset.escape("plain-name.x"));
    }

    @Test
    void requestsTakeOneDirectionAndIgnoreBlankOrOverlongValues() {
        Keyset.Request r = Keyset.Request.of(" BeRt ", "alpha", "omega");
        assertEquals("bert", r.search());
        assertEquals("alpha", r.after());
        assertNull(r.before(), "after wins: one direction at a time");
        assertEquals("omega", Keyset.Request.of(null, "  ", "omega").before());
        Keyset.Request overlong = Keyset.Request.of("x".repeat(101), "y".repeat(101), null);
        assertNull(overlong.search());
        assertNull(overlong.after());
    }
}
