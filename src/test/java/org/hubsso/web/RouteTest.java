package org.hubsso.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
        "/,                                       home,        -,    -",
        "/login,                                  login,       -,    -",
        "/join,                                   join,        -,    -",
        "/logout,                                 logout,      -,    -",
        "/new,                                    new-repo,    -,    -",
        "/settings/account,                       account,     -,    -",
        "/organizations/new,                      new-org,     -,    -",
        "/acme,                                   org,         acme, -",
        "/acme/,                                  org,         acme, -",
        "/acme/tiny-bert,                         repo,        acme, tiny-bert",
        "/organizations/acme/settings,            org-general, acme, -",
        "/organizations/acme/settings/general,    org-general, acme, -",
        "/organizations/acme/settings/members,    org-members, acme, -",
        "/organizations/acme/settings/sso,        org-sso,     acme, -",
        "/organizations/acme/settings/audit,      org-audit,   acme, -",
    })
    void mapsPublicUrlsToViews(String path, String view, String org, String repo) {
        Route route = Route.match(path);
        assertEquals(view, route.view());
        assertEquals(org, route.org());
        assertEquals(repo, route.repo());
        assertEquals("/views/" + view + ".xhtml", route.viewId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/views/home.xhtml", "/views/org", "/organizations", "/organizations/acme",
        "/organizations/acme/sso/x", "/organizations/acme/saml/x", "/organizations/acme/settings/nope", "/settings", "/acme/repo/extra",
        "/acme/..", "/acme/%2e%2e", "/a", "/-acme", "/acme//x", "", "acme", "/WEB-INF/web.xml",
        "/jakarta.faces.resource", "/api", "/health"})
    void unknownOrInternalPathsMatchNothing(String path) {
        assertNull(Route.match(path));
    }

    @Test
    void settingsAndCreationNeedASignedInViewer() {
        assertTrue(Route.match("/organizations/acme/settings/members").signInRequired());
        assertTrue(Route.match("/new").signInRequired());
        assertTrue(Route.match("/settings/account").signInRequired());
        assertFalse(Route.match("/acme").signInRequired());
        assertFalse(Route.match("/acme/tiny-bert").signInRequired());
    }

    @Test
    void ssoEndpointsGoToTheSsoServlet() {
        assertEquals("/_sso/start", Route.match("/organizations/acme/sso").viewId());
        assertTrue(Route.match("/organizations/acme/sso").signInRequired());
        assertEquals("/_sso/complete", Route.match("/organizations/acme/sso/complete").viewId());
        Route acs = Route.match("/organizations/0123456789abcdef01234567/saml/acs");
        assertEquals("/_sso/acs", acs.viewId());
        assertEquals("0123456789abcdef01234567", acs.org());
        assertFalse(acs.signInRequired(), "the IdP posts without the hub session");
        assertEquals("/_sso/metadata", Route.match("/organizations/0123456789abcdef01234567/saml/metadata").viewId());
        assertNull(Route.match("/_sso/acs"), "never reachable under its own path");
        Route callback = Route.match("/organizations/0123456789abcdef01234567/oidc/callback");
        assertEquals("/_sso/oidc-callback", callback.viewId());
        assertEquals("0123456789abcdef01234567", callback.org());
        assertNull(Route.match("/organizations/0123456789abcdef01234567/oidc/other"));
    }

    @Test
    void auditExportsGoToTheirServletAndNeedASignedInViewer() {
        assertEquals("/_audit/csv", Route.match("/organizations/acme/settings/audit.csv").viewId());
        assertEquals("/_audit/json", Route.match("/organizations/acme/settings/audit.json").viewId());
        assertTrue(Route.match("/organizations/acme/settings/audit.csv").signInRequired());
        assertNull(Route.match("/organizations/acme/settings/audit.xml"));
        assertNull(Route.match("/_audit/csv"), "never reachable under its own path");
    }

    @Test
    void overlongPathsMatchNothing() {
        assertNull(Route.match("/" + "a".repeat(400)));
    }
}
