package org.hubsso.web;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.hubsso.hub.Names;
import org.hubsso.hub.Paths;

/**
 * A public URL resolved to the Faces view that renders it, with the organization and repository names the URL
 * carries. Pure: {@link #match(String)} is the whole URL map of the application; {@link Paths} builds the URLs.
 */
public record Route(String view, String org, String repo, boolean signInRequired) implements Serializable {

    public static final String ATTRIBUTE = "hub.route";
    public static final String NOT_FOUND_VIEW = "not-found";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");

    /** Views prefixed {@code _} are served by servlets of their own ({@code _sso/}, {@code _audit/}), others by Faces. */
    public String viewId() {
        return view.startsWith("_") ? "/" + view : "/views/" + view + ".xhtml";
    }

    /**
     * @param path the request path inside the application, starting with '/'
     * @return the route, or {@code null} when nothing lives at that path
     */
    public static Route match(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > 300) {
            return null;
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] s = p.equals("/") ? new String[0] : p.substring(1).split("/", -1);
        for (String segment : s) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                return null;
            }
        }
        switch (s.length) {
            case 0:
                return new Route("home", null, null, false);
            case 1:
                return switch (s[0]) {
                    case "login" -> new Route("login", null, null, false);
                    case "join" -> new Route("join", null, null, false);
                    case "logout" -> new Route("logout", null, null, false);
                    case "new" -> new Route("new-repo", null, null, true);
                    default -> isAppRoot(s[0]) ? null : new Route("org", s[0], null, false);
                };
            case 2:
                if (s[0].equals("settings") && s[1].equals("account")) {
                    return new Route("account", null, null, true);
                }
                if (s[0].equals("settings") && s[1].equals("admin")) {
                    return new Route("site-admin", null, null, true);
                }
                if (s[0].equals("login")) {
                    return switch (s[1]) {
                        case "forgot" -> new Route("forgot", null, null, false);
                        case "reset" -> new Route("reset-password", null, null, false);
                        default -> null;
                    };
                }
                if (s[0].equals("organizations") && s[1].equals("new")) {
                    return new Route("new-org", null, null, true);
                }
                return isAppRoot(s[0]) ? null : new Route("repo", s[0], s[1], false);
            case 3:
                if (s[0].equals("settings") && s[1].equals("account") && s[2].equals("verify")) {
                    return new Route("verify-email", null, null, true);
                }
                if (s[0].equals("organizations") && s[2].equals("settings")) {
                    return new Route("org-general", s[1], null, true);
                }
                if (s[0].equals("organizations") && s[2].equals("sso")) {
                    return new Route("_sso/start", s[1], null, true);
                }
                if (s[0].equals("organizations") && s[2].equals("recover")) {
                    return new Route("org-recover", s[1], null, true);
                }
                return null;
            case 4:
                if (s[0].equals("organizations") && s[2].equals("settings")) {
                    return switch (s[3]) {
                        case "general" -> new Route("org-general", s[1], null, true);
                        case "members" -> new Route("org-members", s[1], null, true);
                        case "sso" -> new Route("org-sso", s[1], null, true);
                        case "audit" -> new Route("org-audit", s[1], null, true);
                        case "audit.csv" -> new Route("_audit/csv", s[1], null, true);
                        case "audit.json" -> new Route("_audit/json", s[1], null, true);
                        default -> null;
                    };
                }
                if (s[0].equals("organizations") && s[2].equals("sso") && s[3].equals("complete")) {
                    return new Route("_sso/complete", s[1], null, true);
                }
                // SAML endpoints are addressed by the stable Organization ID, not by the name.
                if (s[0].equals("organizations") && s[2].equals("saml")) {
                    return switch (s[3]) {
                        case "acs" -> new Route("_sso/acs", s[1], null, false);
                        case "metadata" -> new Route("_sso/metadata", s[1], null, false);
                        default -> null;
                    };
                }
                // So is the OpenID Connect redirect URI; its state check needs no signed-in session to fail safely.
                if (s[0].equals("organizations") && s[2].equals("oidc") && s[3].equals("callback")) {
                    return new Route("_sso/oidc-callback", s[1], null, false);
                }
                return null;
            default:
                return null;
        }
    }

    /** The login page, coming back to {@code returnTo} (kept on this site) after the sign-in. */
    public static String login(String returnTo) {
        return "/login?returnTo=" + Paths.encode(ReturnTo.sanitize(returnTo, "/"));
    }

    /** The application's own first segments, and anything too short to be an organization name. */
    private static boolean isAppRoot(String segment) {
        return segment.length() < 2 || Names.isReserved(segment);
    }
}
