/**
 * The thin web layer: the URL map ({@link org.hubsso.web.Route}, {@link org.hubsso.web.RoutingFilter}), security
 * headers and body limits (filters that only decide about the request), the SSO and export servlets (each a call
 * of a service by route), Faces page beans and their paging links ({@link org.hubsso.web.PageLinks}), the client
 * address behind trusted proxies ({@link org.hubsso.web.ClientAddress}), and the mapping of denials, throttles and
 * an unreachable database to pages ({@link org.hubsso.web.DeniedPages}, {@link org.hubsso.web.HubExceptionHandler},
 * {@link org.hubsso.web.UnavailableFilter}). No access decision and no
 * protocol rule lives here.
 *
 * <p>Uses every other package's services; the protocol adapters only for their admin forms
 * ({@link org.hubsso.sso.saml.SamlSettings}, {@link org.hubsso.sso.oidc.OidcSettings}), never for a sign-in. Nothing
 * uses {@code web}.
 */
package org.hubsso.web;
