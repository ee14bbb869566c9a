package org.hubsso.web;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hc.core5.net.InetAddressUtils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address a request came from, for the per-client throttles. Behind a reverse proxy or load balancer every
 * request comes from the proxy, so the operator names the proxies in {@code hub.proxy.trusted} (addresses or
 * CIDR ranges, comma-separated): while the nearest hop is a trusted proxy, the hub takes the hop before it from
 * {@code X-Forwarded-For}, right to left, and never believes the header from anyone else. An IPv6 client counts by
 * its /64, which one subscriber usually holds whole.
 *
 * <pre>{@code
 * hub.proxy.trusted=10.0.0.0/8, 192.0.2.10
 * }</pre>
 */
@ApplicationScoped
public class ClientAddress {

    @Inject
    @ConfigProperty(name = "hub.proxy.trusted")
    Optional<String> configured;

    private List<Range> trusted = List.of();

    @PostConstruct
    void init() {
        trusted = parse(configured == null ? null : configured.orElse(null));
    }

    /** The client's address as a throttle counts it. */
    public String of(HttpServletRequest request) {
        return key(resolve(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"), trusted));
    }

    static InetAddress resolve(String remote, java.util.Enumeration<String> forwardedFor, List<Range> trusted) {
        InetAddress client = literal(remote);
        if (client == null || forwardedFor == null) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            for (String hop : forwardedFor.nextElement().split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && isTrusted(client, trusted); i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break; // a forged or garbled hop: the proxy's own view stands
            }
            client = hop;
        }
        return client;
    }

    private static boolean isTrusted(InetAddress address, List<Range> trusted) {
        return trusted.stream().anyMatch(r -> r.contains(address));
    }

    /** The throttle key of an address: an IPv4 address itself, an IPv6 address by its /64. */
    static String key(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }

    /** An IP literal as an address, never a name lookup; {@code null} for anything else. */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!InetAddressUtils.isIPv4(s) && !InetAddressUtils.isIPv6(s)) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // a valid literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The ranges of {@code hub.proxy.trusted}.
     *
     * @throws IllegalArgumentException for an entry that is not an address or a CIDR range
     */
    static List<Range> parse(String setting) {
        List<Range> ranges = new ArrayList<>();
        if (setting == null || setting.isBlank()) {
            return ranges;
        }
        for (String entry : setting.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            InetAddress base = literal(slash < 0 ? e : e.substring(0, slash));
            if (base == null) {
                throw new IllegalArgumentException("hub.proxy.trusted: not an address or CIDR range: " + e);
            }
            int bits = base.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException nan) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("hub.proxy.trusted: not a CIDR range: " + e);
                }
            }
            ranges.add(new Range(base.getAddress(), prefix));
        }
        return List.copyOf(ranges);
    }

    /** An address range: the first {@code prefix} bits of {@code base}. */
    record Range(byte[] base, int prefix) {

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != base.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (base[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
