package org.hubsso.hub;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The hub's public paths, built in one place: pages and redirects use these instead of concatenating
 * {@code "/organizations/" + name}. Organization pages are addressed by name; SSO endpoints an IdP knows are
 * addressed by the stable Organization ID. Paths start with '/' inside the application (no context path).
 */
public final class Paths {

    public static final String ACCOUNT = "/settings/account";

    private Paths() {
    }

    /** The organization's page. */
    public static String org(String org) {
        return "/" + org;
    }

    /** One of the organization's settings pages: {@code general}, {@code members}, {@code sso}, {@code audit}. */
    public static String orgSettings(String org, String page) {
        return "/organizations/" + org + "/settings/" + page;
    }

    public static String ssoSettings(String org) {
        return orgSettings(org, "sso");
    }

    /** Where a member starts the organization's SSO (a sign-in, or with {@code ?test=1} an admin's test). */
    public static String ssoStart(String org) {
        return "/organizations/" + org + "/sso";
    }

    /** Where the browser that started a sign-in completes it. */
    public static String ssoComplete(String org, String requestId) {
        return ssoStart(org) + "/complete?request=" + encode(requestId);
    }

    public static String samlAcs(String orgUid) {
        return "/organizations/" + orgUid + "/saml/acs";
    }

    public static String samlMetadata(String orgUid) {
        return "/organizations/" + orgUid + "/saml/metadata";
    }

    public static String oidcCallback(String orgUid) {
        return "/organizations/" + orgUid + "/oidc/callback";
    }

    /** The account settings, offering to add {@code email}. */
    public static String accountAddEmail(String email) {
        return ACCOUNT + "?add=" + encode(email);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
