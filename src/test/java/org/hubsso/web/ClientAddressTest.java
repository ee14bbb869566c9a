package org.hubsso.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which address a request counts as: X-Forwarded-For is believed only from trusted proxies, right to left; a garbled
 * or forged hop never replaces what a trusted proxy saw, and no hop is ever looked up by name.
 */
class ClientAddressTest {

    private static final List<ClientAddress.Range> PROXIES = ClientAddress.parse("10.0.0.0/8, 192.0.2.10, fd00::/8");

    private static String client(String remote, String... forwardedFor) {
        Enumeration<String> headers = forwardedFor.length == 0 ? null
                : Collections.enumeration(List.of(forwardedFor));
        return ClientAddress.key(ClientAddress.resolve(remote, headers, PROXIES));
    }

    @Test
    void withoutATrustedProxyTheHeaderIsIgnored() {
        assertEquals("198.51.100.7", client("198.51.100.7", "203.0.113.1"));
        assertEquals("198.51.100.7", client("198.51.100.7"));
    }

    @Test
    void behindTrustedProxiesTheFirstUntrustedHopFromTheRightCounts() {
        assertEquals("203.0.113.1", client("192.0.2.10", "203.0.113.1"));
        assertEquals("203.0.113.1", client("10.1.2.3", "203.0.113.1, 10.9.9.9"));
        assertEquals("203.0.113.1", client("10.1.2.3", "6.6.6.6, 203.0.113.1", "10.9.9.9"),
                "what the client itself wrote to the left of the first untrusted hop is not believed");
    }

    @Test
    void aGarbledHopLeavesTheProxysView() {
        assertEquals("10.1.2.3", client("10.1.2.3", "evil.example.test"));
        assertEquals("10.1.2.3", client("10.1.2.3", "999.1.1.1"));
        assertEquals("10.1.2.3", client("10.1.2.3", "1:2:3"));
        assertEquals("10.1.2.3", client("10.1.2.3", ""));
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertEquals("20010db800010002::/64", client("2001:db8:1:2:aaaa::1"));
        assertEquals(client("2001:db8:1:2::1"), client("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals("20010db800010002::/64", client("fd00::1", "[2001:db8:1:2::9]"));
    }

    @Test
    void literalsOnlyNeverNames() {
        assertNull(ClientAddress.literal("localhost"));
        assertNull(ClientAddress.literal("example.test"));
        assertNull(ClientAddress.literal("1.2.3"));
        assertEquals("127.0.0.1", ClientAddress.literal("127.0.0.1").getHostAddress());
    }

    @Test
    void aBadTrustedProxySettingIsRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.parse("proxy.internal"));
        assertEquals(0, ClientAddress.parse(" ").size());
    }
}
