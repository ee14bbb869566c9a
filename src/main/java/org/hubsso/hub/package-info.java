/**
 * The hub itself: accounts and their emails, organizations, memberships, repositories, hub sign-ins, and what every
 * other package needs (the clock, the datasource and migrations, names and their rules, throttling, public URLs and
 * {@link org.hubsso.hub.Paths}, JSON, keyset paging ({@link org.hubsso.hub.Keyset}), readiness checks of the database
 * and the data grid, and telling an unreachable database from a failed statement
 * ({@link org.hubsso.hub.DatabaseUnavailable})). Repositories ({@link org.hubsso.hub.Organizations},
 * {@link org.hubsso.hub.Memberships}, {@link org.hubsso.hub.Repos}, {@link org.hubsso.hub.SignIns}) hold the
 * queries; they decide no access.
 *
 * <p>Uses nothing of the hub's other packages: everything else builds on this one.
 */
package org.hubsso.hub;
