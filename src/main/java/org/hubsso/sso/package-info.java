/**
 * Single sign-on, the same for every protocol: an organization's IdP configuration (live, and a draft under test),
 * its versions and audited changes; the sign-in in flight ({@link org.hubsso.sso.PendingRequests}, in the database
 * so any cluster node can take the IdP's answer); the replay table; the shared pipeline after an answer was
 * validated (test results, the email match, the SSO session of this hub sign-in, joining, role mapping, audit); the
 * SSO policies; the organization's own SP keys ({@link org.hubsso.sso.SpKeys}: made, sealed, rolled over; their
 * certificates written with Bouncy Castle's PKIX library); and the SSO state the access policy reads ({@link org.hubsso.sso.SsoGate}, which implements
 * {@link org.hubsso.access.OrgSso}).
 *
 * <p>A protocol is an {@link org.hubsso.sso.IdpProtocol}: {@link org.hubsso.sso.SsoService} finds the adapters by
 * protocol through CDI and never imports them. An answer reaches an adapter as an
 * {@link org.hubsso.sso.IdpRequest} (no servlet API here) and comes back as one
 * {@link org.hubsso.sso.ValidatedAnswer}, or an {@link org.hubsso.sso.SsoFailure} naming the failed check.
 *
 * <p>Uses {@code org.hubsso.hub}, {@code org.hubsso.access}, {@code org.hubsso.audit} and Bouncy Castle's PKIX
 * library (certificates only, never registered as a JCA provider); never {@code sso.saml},
 * {@code sso.oidc} or {@code web}.
 */
package org.hubsso.sso;
