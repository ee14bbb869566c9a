package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Viewer;
import org.hubsso.hub.Paths;
import org.hubsso.sso.IdpRequest;
import org.hubsso.sso.SsoOutcome;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.SsoService;

/**
 * The SSO endpoints, reached only through {@link RoutingFilter} (which maps the public URLs here), each a call of
 * {@link SsoService} by route: {@code /organizations/{org}/sso} (start), {@code .../sso/complete}, and by
 * Organization ID {@code /organizations/{id}/saml/acs}, {@code .../saml/metadata} and {@code .../oidc/callback}.
 * Nothing here knows a protocol's rules.
 */
@WebServlet(name = "sso", urlPatterns = "/_sso/*")
public class SsoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    SsoService sso;

    @Inject
    Viewer viewer;

    @Inject
    RecoveryCodesOnce codesOnce;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        if (route == null) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try {
            switch (route.view()) {
                case "_sso/start" -> start(route, req, res);
                case "_sso/complete" -> complete(route, req, res);
                case "_sso/metadata" -> metadata(route, res);
                case "_sso/oidc-callback" -> send(req, res, sso.answer(SsoProtocol.OIDC, route.org(), idpRequest(req),
                        viewer.getSignInId()));
                default -> res.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            }
        } catch (AccessDeniedException denied) {
            DeniedPages.forward(req, res, denied);
        }
    }

    /** The SAML ACS. A body over its limit, or of unknown length, never gets here ({@link RequestSizeFilter}). */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        if (route == null || !"_sso/acs".equals(route.view())) {
            res.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        try {
            send(req, res, sso.answer(SsoProtocol.SAML, route.org(), idpRequest(req), null));
        } catch (AccessDeniedException denied) {
            DeniedPages.forward(req, res, denied);
        }
    }

    private void start(Route route, HttpServletRequest req, HttpServletResponse res) throws IOException,
            ServletException {
        String back = ReturnTo.sanitize(req.getParameter("returnTo"), Paths.org(route.org()));
        boolean test = "1".equals(req.getParameter("test"));
        send(req, res, sso.start(route.org(), viewer.getAccountId(), viewer.getSignInId(), back, test));
    }

    /**
     * Back in the browser session that started the sign-in. A completed sign-in raises what the session may do
     * (an organization's SSO session), so the session gets a new id, as at the hub's own sign-in: an id planted
     * in the browser before (session fixation) is worth nothing afterwards.
     */
    private void complete(Route route, HttpServletRequest req, HttpServletResponse res) throws IOException,
            ServletException {
        SsoOutcome outcome = sso.complete(route.org(), req.getParameter("request"), viewer.getAccountId(),
                viewer.getSignInId());
        if (outcome.isRedirect() && req.getSession(false) != null) {
            req.changeSessionId();
        }
        send(req, res, outcome);
    }

    private void metadata(Route route, HttpServletResponse res) throws IOException {
        String xml = sso.metadata(route.org()).orElse(null);
        if (xml == null) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        res.setContentType("application/samlmetadata+xml");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.getWriter().write(xml);
    }

    /** The IdP's answer as the core reads it: method, every parameter (query and form), the raw query string. */
    private static IdpRequest idpRequest(HttpServletRequest req) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        req.getParameterMap().forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
        return new IdpRequest(req.getMethod(), parameters, req.getQueryString());
    }

    private void send(HttpServletRequest req, HttpServletResponse res, SsoOutcome outcome) throws IOException,
            ServletException {
        if (!outcome.isRedirect()) {
            // An admin who just enabled SSO and whose round trip failed needs the recovery codes most.
            Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
            if (route != null && route.view().equals("_sso/complete") && req.getSession(false) != null) {
                req.setAttribute("recoveryCodes", codesOnce.take(route.org()));
            }
            failed(req, res, outcome);
            return;
        }
        String location = outcome.redirect().startsWith("/") ? req.getContextPath() + outcome.redirect()
                : outcome.redirect();
        res.setStatus(HttpServletResponse.SC_SEE_OTHER);
        res.setHeader("Location", location);
    }

    private static void failed(HttpServletRequest req, HttpServletResponse res, SsoOutcome outcome)
            throws ServletException, IOException {
        res.setStatus(outcome.status());
        res.setHeader("X-Hub-Sso-Failure", outcome.reason().code());
        req.setAttribute("ssoReason", outcome.reason());
        req.setAttribute("ssoDetail", outcome.detail());
        if (outcome.idpEmail() != null) {
            req.setAttribute("ssoAddEmail", Paths.accountAddEmail(outcome.idpEmail()));
        }
        req.getRequestDispatcher("/views/sso-failed.xhtml").forward(req, res);
    }
}
