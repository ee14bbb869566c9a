package org.hubsso.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A host resolved to an address the hub does not call ({@link AddressPolicy}). An {@link UnknownHostException}, so
 * the HTTP client stops before it connects; the message names the address and what the operator could allow.
 */
public class RefusedAddressException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    private final AddressPolicy.Kind kind;

    public RefusedAddressException(String host, InetAddress address, AddressPolicy.Kind kind) {
        super(host + " resolves to " + address.getHostAddress() + ", a " + kind.label() + " address, which the hub"
                + " does not call" + (AddressPolicy.ALLOWABLE.contains(kind) ? " unless the operator allows it"
                        + " (hub.outbound.allow=" + kind.label() + ")" : ""));
        this.kind = kind;
    }

    public AddressPolicy.Kind kind() {
        return kind;
    }
}
