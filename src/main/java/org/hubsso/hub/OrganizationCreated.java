package org.hubsso.hub;

/**
 * An organization was created. Fired inside the transaction that creates it, so that what other capabilities keep
 * per organization (its SSO settings: off, nothing configured) exists from the start, without the code creating
 * organizations knowing them.
 */
public record OrganizationCreated(Organization org) {
}
