package org.hubsso.hub;

import java.time.Duration;

/**
 * An attempt over its throttle's limit ({@link Throttle}) or beyond what the server takes on at once
 * ({@link PasswordHasher}): answered 429 with the message and a {@code Retry-After} of {@link #retryAfter()}, nothing
 * done.
 */
public class TooManyAttemptsException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);

    private final Duration retryAfter;

    public TooManyAttemptsException(String message) {
        this(message, DEFAULT_RETRY);
    }

    public TooManyAttemptsException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter.isNegative() || retryAfter.isZero() ? Duration.ofSeconds(1) : retryAfter;
    }

    /** How long the client should wait before it tries again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, rounded up, for the {@code Retry-After} header. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.getSeconds();
        return retryAfter.getNano() > 0 ? seconds + 1 : seconds;
    }
}
