package org.hubsso.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How mail leaves the hub, from MicroProfile Config: to the SMTP server {@code hub.mail.host} when it is set, otherwise
 * into the outbox folder {@code ${hub.data.dir}/outbox}, one {@code .eml} file per message, so the quick start needs no
 * mail server. Every value is checked when read, and a bad one stops the start with a message naming its key; no
 * message, log line or {@link #toString()} ever contains the password.
 */
public final class MailSettings {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain SMTP: only for a server on the same host or a trusted network. */
        NONE(25),
        /** SMTP upgraded with STARTTLS, which is required: a server that does not offer it gets nothing. */
        STARTTLS(587),
        /** SMTP inside TLS from the first byte ("SMTPS", implicit TLS). */
        SSL(465);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    public static final String DEFAULT_FROM = "Hub <no-reply@hub.localhost>";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    static final String OUTBOX = "outbox";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(ms|s)?");

    private final String host;
    private final int port;
    private final Security security;
    private final String user;
    private final String password;
    private final InternetAddress from;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final Path outbox;

    private MailSettings(String host, int port, Security security, String user, String password, InternetAddress from,
            Duration connectTimeout, Duration timeout, Path outbox) {
        this.host = host;
        this.port = port;
        this.security = security;
        this.user = user;
        this.password = password;
        this.from = from;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.outbox = outbox;
    }

    /**
     * Reads {@code hub.mail.*} and {@code hub.data.dir}; a blank value counts as unset (an empty environment
     * variable).
     *
     * @param config the configured value of a key, e.g. {@code key -> config.getOptionalValue(key, String.class)}
     * @throws IllegalStateException naming the key whose value is wrong
     */
    public static MailSettings read(Function<String, Optional<String>> config) {
        Function<String, Optional<String>> value = key -> config.apply(key).map(String::strip).filter(v -> !v.isEmpty());
        InternetAddress from = from(value.apply("hub.mail.from").orElse(DEFAULT_FROM));
        Duration connectTimeout = duration("hub.mail.connect-timeout", value.apply("hub.mail.connect-timeout"));
        Duration timeout = duration("hub.mail.timeout", value.apply("hub.mail.timeout"));
        Path outbox = Path.of(value.apply("hub.data.dir").orElse("./hub-data")).resolve(OUTBOX);
        Security security = security(value.apply("hub.mail.security"));
        Optional<String> user = value.apply("hub.mail.user");
        Optional<String> password = config.apply("hub.mail.password").filter(p -> !p.isEmpty());
        Optional<String> host = value.apply("hub.mail.host");
        if (host.isEmpty()) {
            return new MailSettings(null, 0, security, null, null, from, connectTimeout, timeout, outbox);
        }
        if (!host.get().matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            throw new IllegalStateException("hub.mail.host must be a host name or an IP address");
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalStateException("Set both hub.mail.user and hub.mail.password, or neither (no SMTP"
                    + " authentication)");
        }
        int port = port(value.apply("hub.mail.port"), security);
        return new MailSettings(host.get(), port, security, user.orElse(null), password.orElse(null), from,
                connectTimeout, timeout, outbox);
    }

    /** Whether messages go to an SMTP server; otherwise they are written to {@link #outbox()}. */
    public boolean smtp() {
        return host != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Security security() {
        return security;
    }

    /** The SMTP user, or {@code null} for a server without authentication. */
    public String user() {
        return user;
    }

    /** The SMTP password: for the SMTP connection only, never for a log or a message. */
    String password() {
        return password;
    }

    /** The sender of every message (its From header and the envelope sender). */
    public InternetAddress from() {
        return (InternetAddress) from.clone(); // InternetAddress is mutable
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The longest a read from or a write to the SMTP server may block. */
    public Duration timeout() {
        return timeout;
    }

    public Path outbox() {
        return outbox;
    }

    /**
     * How long a sender may hold a claimed message before another may take it: longer than the slowest delivery the
     * timeouts allow (a connect, then about a dozen bounded reads and writes), so a live sender is never overtaken.
     */
    public Duration claimLease() {
        Duration slowest = connectTimeout.plus(timeout.multipliedBy(20));
        return slowest.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : slowest;
    }

    /** Where mail goes, for the log: never the password. */
    @Override
    public String toString() {
        if (!smtp()) {
            return "the outbox folder " + outbox.toAbsolutePath().normalize() + " (hub.mail.host is not set)";
        }
        return "SMTP server " + host + ":" + port + " (" + security.name().toLowerCase(Locale.ROOT)
                + (user == null ? ", no authentication" : ", as " + user) + "), from " + from.toUnicodeString();
    }

    private static InternetAddress from(String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            if (address.isGroup() || address.getAddress().indexOf('@') < 1) {
                throw new AddressException("no address");
            }
            return address;
        } catch (AddressException e) {
            throw new IllegalStateException("hub.mail.from must be an address such as " + DEFAULT_FROM
                    + " or no-reply@example.org");
        }
    }

    private static Security security(Optional<String> value) {
        if (value.isEmpty()) {
            return Security.STARTTLS;
        }
        try {
            return Security.valueOf(value.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hub.mail.security must be none, starttls or ssl");
        }
    }

    private static int port(Optional<String> value, Security security) {
        if (value.isEmpty()) {
            return security.defaultPort();
        }
        try {
            int port = Integer.parseInt(value.get());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("hub.mail.port must be a port number (1 to 65535)");
    }

    /** {@code 5s}, {@code 2500ms} or {@code 5} (seconds), between {@link #MIN_TIMEOUT} and {@link #MAX_TIMEOUT}. */
    static Duration duration(String key, Optional<String> value) {
        if (value.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        Matcher m = DURATION.matcher(value.get().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration d = "ms".equals(m.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
            if (d.compareTo(MIN_TIMEOUT) >= 0 && d.compareTo(MAX_TIMEOUT) <= 0) {
                return d;
            }
        }
        throw new IllegalStateException(key + " must be a duration such as 5s or 2500ms, from 100ms to 60s");
    }
}
