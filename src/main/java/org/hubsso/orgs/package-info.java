/**
 * What an organization's admins and members do with it besides single sign-on: creating it, its page, its general
 * settings and members, its repositories. Every method that touches one organization is guarded by
 * {@link org.hubsso.access.OrgAccess}.
 *
 * <p>Uses {@code org.hubsso.hub}, {@code org.hubsso.access} (including {@link org.hubsso.access.OrgSso}, to know
 * whether roles come from the IdP) and {@code org.hubsso.audit}; never {@code sso} or {@code web}.
 */
package org.hubsso.orgs;
