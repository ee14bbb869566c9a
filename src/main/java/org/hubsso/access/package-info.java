/**
 * The one access policy: who may see or change what in an organization's namespace. Guarded service methods carry
 * {@link org.hubsso.access.OrgAccess}; its interceptor loads the viewer's {@link org.hubsso.access.OrgContext}
 * (membership, SSO enforcement, this sign-in's SSO session) and applies {@link org.hubsso.access.AccessPolicy}
 * before the method runs. Every way into an organization (pages, downloads, later API tokens and SCIM) goes
 * through it.
 *
 * <p>Uses {@code org.hubsso.hub} only. What it needs to know of single sign-on it reads through
 * {@link org.hubsso.access.OrgSso}, which the {@code sso} package implements, so {@code access} never imports
 * {@code sso}.
 */
package org.hubsso.access;
