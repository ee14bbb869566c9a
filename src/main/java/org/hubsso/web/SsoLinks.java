package org.hubsso.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** For the SSO banner: the {@code returnTo} value of its link, sanitized to a same-origin path and encoded. */
@Named("ssoLinks")
@ApplicationScoped
public class SsoLinks {

    public String encode(String returnTo) {
        return URLEncoder.encode(ReturnTo.sanitize(returnTo, "/"), StandardCharsets.UTF_8);
    }
}
