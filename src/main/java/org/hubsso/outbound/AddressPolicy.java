package org.hubsso.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses the hub may connect to when it calls an IdP: public addresses, plus the kinds the operator allows
 * ({@code hub.outbound.allow}: {@code loopback}, {@code private}, {@code link-local}). Multicast, broadcast and
 * unspecified addresses are never called. An address is classified as it will be connected to, so a name that
 * resolves to a link-local address (a cloud's metadata service at 169.254.169.254) is refused like the address
 * itself.
 */
public final class AddressPolicy {

    /** What kind of address a connection would go to. */
    public enum Kind {
        PUBLIC("public"), LOOPBACK("loopback"), PRIVATE("private"), LINK_LOCAL("link-local"),
        NEVER("multicast, broadcast or unspecified");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The kinds an operator may allow. */
    static final Set<Kind> ALLOWABLE = EnumSet.of(Kind.LOOPBACK, Kind.PRIVATE, Kind.LINK_LOCAL);

    private final Set<Kind> allowed;

    private AddressPolicy(Set<Kind> allowed) {
        this.allowed = EnumSet.of(Kind.PUBLIC);
        this.allowed.addAll(allowed);
    }

    /** Public addresses only. */
    public static AddressPolicy publicOnly() {
        return new AddressPolicy(EnumSet.noneOf(Kind.class));
    }

    /**
     * The policy of {@code hub.outbound.allow}: a comma-separated list of {@code loopback}, {@code private} and
     * {@code link-local}; blank allows public addresses only.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static AddressPolicy of(String allow) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (allow != null) {
            for (String word : allow.split(",")) {
                String w = word.strip().toLowerCase(Locale.ROOT);
                if (w.isEmpty()) {
                    continue;
                }
                Kind kind = Arrays.stream(Kind.values()).filter(k -> ALLOWABLE.contains(k) && k.label.equals(w))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("hub.outbound.allow takes"
                                + " loopback, private and link-local, comma-separated; not " + w));
                kinds.add(kind);
            }
        }
        return new AddressPolicy(kinds);
    }

    public boolean allows(InetAddress address) {
        return allowed.contains(kindOf(address));
    }

    /** Every address must be allowed: a name with one refused address is refused as a whole. */
    public void check(String host, InetAddress[] addresses) throws RefusedAddressException {
        for (InetAddress a : addresses) {
            Kind kind = kindOf(a);
            if (!allowed.contains(kind)) {
                throw new RefusedAddressException(host, a, kind);
            }
        }
    }

    public static Kind kindOf(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                return kindOf(embedded);
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Kind.PRIVATE; // unique local fc00::/7
            }
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return Kind.NEVER;
        }
        if (a.isLoopbackAddress()) {
            return Kind.LOOPBACK;
        }
        if (a.isLinkLocalAddress()) {
            return Kind.LINK_LOCAL;
        }
        if (a.isSiteLocalAddress()) {
            return Kind.PRIVATE; // 10/8, 172.16/12, 192.168/16, fec0::/10
        }
        if (a instanceof Inet4Address) {
            int first = a.getAddress()[0] & 0xff;
            int second = a.getAddress()[1] & 0xff;
            if (first == 0 || first >= 240) {
                return Kind.NEVER; // "this network", reserved, broadcast
            }
            if (first == 100 && second >= 64 && second < 128) {
                return Kind.PRIVATE; // shared address space 100.64/10 (carrier-grade NAT)
            }
        }
        return Kind.PUBLIC;
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), IPv4-compatible or NAT64 (64:ff9b::/96) address. */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) {
            zeros &= b[i] == 0;
        }
        boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (!mapped && !compatible && !nat64) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
