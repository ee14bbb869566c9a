package org.hubsso.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.hubsso.hub.Causes;

/**
 * The hub's calls to IdPs (OpenID discovery, token endpoint, JWKS; SAML metadata): each bounded in time (connect
 * and every read within {@link #TIMEOUT}, the whole answer within {@link #DEADLINE}) and in size, no redirects, no
 * cookies, no retries. Every connection goes to an address the {@link AddressPolicy} allowed when the name was
 * resolved for that very connection, so a host that resolved to a public address when the settings were saved and
 * to a link-local one now (DNS rebinding) is refused before anything is sent.
 */
public class OutboundHttp implements AutoCloseable {

    /** Connect timeout and the longest wait for any read. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The longest a whole answer may take to arrive, however it trickles. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    /** Resolves a host name to its addresses; the system's resolver by default, another in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM = InetAddress::getAllByName;

    /** An answer: status, content type and body (at most the size the caller allowed). */
    public record Answer(int status, String contentType, byte[] body) {

        public String text() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                ContentType type = contentType == null ? null : ContentType.parse(contentType);
                if (type != null && type.getCharset() != null) {
                    charset = type.getCharset();
                }
            } catch (RuntimeException ignored) {
                // a malformed content type: read as UTF-8
            }
            return new String(body, charset);
        }
    }

    /** An answer larger than the caller allowed; it was not read further. */
    public static class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(URI uri, int maxBytes) {
            super("The answer of " + uri + " is larger than " + maxBytes + " bytes");
        }
    }

    private final AddressPolicy policy;
    private final Resolver resolver;
    private final Duration deadline;
    private final CloseableHttpClient client;

    public OutboundHttp(AddressPolicy policy, Resolver resolver) {
        this(policy, resolver, DEADLINE);
    }

    OutboundHttp(AddressPolicy policy, Resolver resolver, Duration deadline) {
        this.policy = policy;
        this.resolver = resolver;
        this.deadline = deadline;
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = resolver.resolve(host);
                policy.check(host, addresses);
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return host;
            }
        };
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(checked)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(TIMEOUT)).setSocketTimeout(Timeout.of(TIMEOUT)).build())
                .setMaxConnTotal(50).setMaxConnPerRoute(10).build();
        this.client = HttpClients.custom().setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(TIMEOUT))
                        .setConnectionRequestTimeout(Timeout.of(TIMEOUT)).setRedirectsEnabled(false).build())
                .disableRedirectHandling().disableCookieManagement().disableAutomaticRetries()
                .disableAuthCaching().disableConnectionState().build();
    }

    /**
     * Resolves {@code uri}'s host and checks every address now, without connecting: for settings being saved. The
     * same check runs again at every connection.
     */
    public void check(URI uri) throws UnknownHostException {
        String host = uri.getHost();
        if (host == null) {
            throw new UnknownHostException("no host in " + uri);
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        policy.check(host, resolver.resolve(bare));
    }

    public Answer get(URI uri, String accept, int maxBytes) throws IOException {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", accept);
        return send(get, uri, maxBytes);
    }

    /** A form post ({@code application/x-www-form-urlencoded} body as given) with extra headers. */
    public Answer postForm(URI uri, Map<String, String> headers, String body, int maxBytes) throws IOException {
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_FORM_URLENCODED));
        return send(post, uri, maxBytes);
    }

    private Answer send(HttpUriRequestBase request, URI uri, int maxBytes) throws IOException {
        long until = System.nanoTime() + deadline.toNanos();
        return client.execute(request, response -> {
            HttpEntity entity = response.getEntity();
            byte[] body = entity == null ? new byte[0] : read(entity, uri, maxBytes, until, request);
            return new Answer(response.getCode(), entity == null ? null : entity.getContentType(), body);
        });
    }

    private static byte[] read(HttpEntity entity, URI uri, int maxBytes, long deadline, HttpUriRequestBase request)
            throws IOException {
        if (entity.getContentLength() > maxBytes) {
            request.abort();
            throw new TooLargeException(uri, maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buffer = new byte[8192];
        try (InputStream in = entity.getContent()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    request.abort();
                    throw new TooLargeException(uri, maxBytes);
                }
                if (System.nanoTime() > deadline) {
                    request.abort();
                    throw new java.net.SocketTimeoutException("The answer of " + uri + " took too long");
                }
            }
        }
        return out.toByteArray();
    }

    /** The refusal of the address policy behind {@code e}, if that is what it is. */
    public static RefusedAddressException refusal(Throwable e) {
        return Causes.find(e, RefusedAddressException.class).orElse(null);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
