/**
 * Every call the hub makes to another server on an admin's behalf (an IdP's discovery document, token endpoint,
 * JWKS): bounded in time and size, and only to addresses {@link org.hubsso.outbound.AddressPolicy} allows
 * (loopback, private and link-local addresses only when the operator allows them in {@code hub.outbound.allow}),
 * checked at connect time so that DNS rebinding cannot slip past.
 *
 * <p>Uses Apache HttpClient 5 and {@code org.hubsso.hub}; nothing else of the hub.
 */
package org.hubsso.outbound;
