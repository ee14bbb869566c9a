package org.hubsso.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A cookie-keeping HTTP client for the tests: GET pages, fill and post Faces forms, as a browser would. */
public final class WebClient {

    private static final Pattern VIEW_STATE = Pattern.compile(
            "name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    private final URI base;
    private final CookieManager cookies = new LoopbackSecureCookies();
    private final HttpClient http;
    private String username;
    private String forwardedFor;

    public WebClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    /** Follows redirects within this site; stops at a redirect to another site. */
    public Page follow(Page page) {
        Page current = page;
        for (int i = 0; i < 5 && current.status() / 100 == 3; i++) {
            URI next = current.uri().resolve(current.location());
            if (!java.util.Objects.equals(next.getRawAuthority(), base.getRawAuthority())) {
                return current; // a redirect to another site (an IdP): the test plays that part itself
            }
            current = send(HttpRequest.newBuilder(next).GET());
        }
        return current;
    }

    /** Submits the form {@code formId} of {@code page}, with its ViewState and the given fields (ids without the form prefix). */
    public Page submit(Page page, String formId, String button, Map<String, String> fields) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put(formId, formId);
        fields.forEach((k, v) -> body.put(formId + ":" + k, v));
        body.put(formId + ":" + button, button);
        body.put("jakarta.faces.ViewState", page.viewState());
        return post(page.uri().toString(), body);
    }

    public Page post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Page signIn(String login, String password) {
        Page form = get("/login");
        return follow(submit(form, "login", "submit", Map.of("login", login, "password", password)));
    }

    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /**
     * Puts {@code other}'s cookie into this browser, as an attacker who can set cookies for the site would (session
     * fixation).
     */
    public void plantCookie(WebClient other, String name) {
        HttpCookie cookie = other.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow();
        cookies.getCookieStore().add(base, (HttpCookie) cookie.clone());
    }

    /**
     * Sends {@code X-Forwarded-For: address} with every request from now on, as a browser behind the test server's
     * trusted proxy (loopback) would arrive; the hub then counts it as a client of its own.
     */
    public WebClient from(String address) {
        this.forwardedFor = address;
        return this;
    }

    /** The account this client signed up as, if a test recorded it. */
    public String username() {
        return username;
    }

    public WebClient username(String username) {
        this.username = username;
        return this;
    }

    public URI base() {
        return base;
    }

    private URI resolve(String path) {
        return path.startsWith("http") ? URI.create(path) : base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private Page send(HttpRequest.Builder request) {
        try {
            if (forwardedFor != null) {
                request.header("X-Forwarded-For", forwardedFor);
            }
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Page(built.uri(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One response. */
    public record Page(URI uri, HttpResponse<String> response) {

        public String path() {
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }

        public int status() {
            return response.statusCode();
        }

        public String body() {
            return response.body();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String location() {
            String location = header("Location");
            if (location == null) {
                throw new AssertionError("no Location header on " + path() + " (" + status() + ")");
            }
            return location;
        }

        public boolean contains(String text) {
            return response.body().contains(text);
        }

        public String viewState() {
            Matcher m = VIEW_STATE.matcher(response.body());
            if (!m.find()) {
                throw new AssertionError("no form with a ViewState on " + path() + " (" + status() + ")");
            }
            return m.group(1);
        }
    }

    /**
     * Cookies as a browser keeps them: http on a loopback host is a secure context (Chromium and Firefox treat it so),
     * so {@code Secure} cookies set there (Keycloak's login cookies) are sent back over http too.
     */
    private static final class LoopbackSecureCookies extends CookieManager {

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            String host = uri.getHost();
            if ("http".equals(uri.getScheme()) && ("localhost".equals(host) || "127.0.0.1".equals(host))) {
                try {
                    return super.get(new URI("https", uri.getUserInfo(), host, uri.getPort(), uri.getPath(),
                            uri.getQuery(), null), headers);
                } catch (java.net.URISyntaxException e) {
                    throw new IOException(e);
                }
            }
            return super.get(uri, headers);
        }
    }
}
