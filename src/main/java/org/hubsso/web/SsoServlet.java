package org.hubsso.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.Viewer;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.sso.IdpConfig;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoOutcome;
import org.hubsso.sso.SsoProtocol;
import org.hubsso.sso.SsoService;
import org.hubsso.sso.SpEndpoints;
import org.hubsso.sso.oidc.OrgOidcClient;
import org.hubsso.sso.saml.SamlAdapter;
import org.hubsso.sso.saml.SamlResponseValidator;
import org.pac4j.jee.context.JEEContext;

/**
 * The SSO endpoints, reached only through {@link RoutingFilter} (which maps the public URLs here):
 * {@code /organizations/{org}/sso} (start), {@code .../sso/complete}, and by Organization ID
 * {@code /organizations/{id}/saml/acs}, {@code .../saml/metadata} and {@code .../oidc/callback}.
 */
@WebServlet(name = "sso", urlPatterns = "/_sso/*")
public class SsoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String SAML_RESPONSE = "SAMLResponse";

    @Inject
    SsoService sso;

    @Inject
    SsoClients clients;

    @Inject
    SpEndpoints endpoints;

    @Inject
    Viewer viewer;

    @Inject
    HubClock clock;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        try {
            switch (route.view()) {
                case "_sso/start" -> start(route, req, res);
                case "_sso/complete" -> complete(route, req, res);
                case "_sso/metadata" -> metadata(route.org(), req, res);
                case "_sso/oidc-callback" -> oidcCallback(route, req, res);
                default -> res.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            }
        } catch (AccessDeniedException denied) {
            denied(req, res, denied);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Route route = (Route) req.getAttribute(Route.ATTRIBUTE);
        if (!"_sso/acs".equals(route.view())) {
            res.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        // A body over the ACS's limit, or of unknown length, never gets here (RequestSizeFilter).
        try {
            SsoService.Target target = sso.target(route.org());
            SsoOutcome outcome;
            try {
                requireOnePostedResponse(req);
                SamlResponseValidator.Read answer = SamlAdapter.read(req.getParameter(SAML_RESPONSE));
                IdpConfig config = sso.configFor(target.org(), answer.claimedRequest());
                if (config.protocol() != SsoProtocol.SAML) {
                    throw new AccessDeniedException(Decision.NOT_FOUND, route.org());
                }
                SamlResponseValidator.Validated valid = clients.saml(target.org(), config).validate(answer,
                        clock.now());
                outcome = sso.accepted(target.org(), SsoProtocol.SAML, valid.inResponseTo(), valid.assertionId(),
                        valid.keepUntil(), valid.identity());
            } catch (SsoFailure failure) {
                outcome = sso.rejected(target.org(), failure);
            }
            send(req, res, outcome);
        } catch (AccessDeniedException denied) {
            denied(req, res, denied);
        }
    }

    /**
     * The HTTP-POST binding carries exactly one SAMLResponse in the form body: a second value (or one in the query
     * string, which {@code getParameter} would prefer) could be read differently by another component, and the
     * redirect binding's SigAlg/Signature have no place here.
     */
    private static void requireOnePostedResponse(HttpServletRequest req) throws SsoFailure {
        String[] values = req.getParameterValues(SAML_RESPONSE);
        String query = req.getQueryString();
        if (values != null && values.length > 1) {
            throw new SsoFailure(SsoFailure.Reason.MALFORMED, "The request carries " + values.length
                    + " SAMLResponse parameters; exactly one is accepted.");
        }
        if (query != null && !query.isEmpty()) {
            throw new SsoFailure(SsoFailure.Reason.MALFORMED, "The ACS accepts the HTTP-POST binding only: no"
                    + " parameters in the query string.");
        }
        if (req.getParameter("SigAlg") != null || req.getParameter("Signature") != null
                || req.getParameterValues("RelayState") != null && req.getParameterValues("RelayState").length > 1) {
            throw new SsoFailure(SsoFailure.Reason.MALFORMED, "Redirect-binding signature parameters or a repeated"
                    + " RelayState are not accepted at the HTTP-POST ACS.");
        }
    }

    /** Stores the pending request, then lets the organization's pac4j client send the browser to the IdP. */
    private void start(Route route, HttpServletRequest req, HttpServletResponse res) throws IOException,
            ServletException {
        String back = ReturnTo.sanitize(req.getParameter("returnTo"), "/" + route.org());
        boolean test = "1".equals(req.getParameter("test"));
        String signIn = viewer.getSignInId();
        SsoService.Begun begun = sso.begin(route.org(), viewer.getAccountId(), signIn, back, test);
        if (begun.config().protocol() == SsoProtocol.OIDC) {
            OrgOidcClient client;
            try {
                client = clients.oidc(begun.org(), begun.config());
            } catch (SsoFailure failure) {
                failed(req, res, SsoOutcome.failed(502, failure.reason(), failure.detail()));
                return;
            }
            OrgOidcClient.Redirect redirect = client.redirect(new JEEContext(req, res), begun.requestId());
            sso.keepOidcFlow(begun.org(), signIn, redirect.flow());
            send(req, res, SsoOutcome.redirect(redirect.location()));
            return;
        }
        send(req, res, SsoOutcome.redirect(clients.saml(begun.org(), begun.config())
                .authnRequestRedirect(begun.requestId()).toString()));
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

    /**
     * The OpenID provider's redirect back, on any node: a top-level GET, so the browser's hub sign-in is there, and
     * with it the sign-in's state, nonce and PKCE verifier from the database. Validated answers continue to the
     * completion step like SAML answers.
     */
    private void oidcCallback(Route route, HttpServletRequest req, HttpServletResponse res) throws IOException,
            ServletException {
        SsoService.Target target = sso.target(route.org());
        SsoOutcome outcome;
        try {
            OrgOidcClient.Flow flow = sso.takeOidcFlow(target.org(), viewer.getSignInId()).orElse(null);
            IdpConfig config = sso.configFor(target.org(), flow == null ? null : flow.requestId());
            if (config.protocol() != SsoProtocol.OIDC) {
                throw new AccessDeniedException(Decision.NOT_FOUND, route.org());
            }
            OrgOidcClient.Answer answer = clients.oidc(target.org(), config).answer(new JEEContext(req, res), flow);
            outcome = sso.accepted(target.org(), SsoProtocol.OIDC, answer.requestId(), answer.replayId(),
                    answer.keepUntil(), answer.identity());
        } catch (SsoFailure failure) {
            outcome = sso.rejected(target.org(), failure);
        }
        send(req, res, outcome);
    }

    private void metadata(String orgUid, HttpServletRequest req, HttpServletResponse res) throws IOException,
            ServletException {
        Organization org = sso.orgByUid(orgUid)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgUid));
        String xml = SamlAdapter.metadata(endpoints.entityId(org), endpoints.acsUrl(org));
        res.setContentType("application/samlmetadata+xml");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        res.getWriter().write(xml);
    }

    private void send(HttpServletRequest req, HttpServletResponse res, SsoOutcome outcome) throws IOException,
            ServletException {
        if (!outcome.isRedirect()) {
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
            req.setAttribute("ssoAddEmail", "/settings/account?add="
                    + java.net.URLEncoder.encode(outcome.idpEmail(), StandardCharsets.UTF_8));
        }
        req.getRequestDispatcher("/views/sso-failed.xhtml").forward(req, res);
    }

    private static void denied(HttpServletRequest req, HttpServletResponse res, AccessDeniedException denied)
            throws ServletException, IOException {
        res.setStatus(denied.getDecision().httpStatus());
        res.setHeader("X-Hub-Access", denied.getDecision().code());
        req.setAttribute("denied", denied);
        String view = denied.getDecision() == Decision.NOT_FOUND ? Route.NOT_FOUND_VIEW : "denied";
        req.getRequestDispatcher("/views/" + view + ".xhtml").forward(req, res);
    }
}
