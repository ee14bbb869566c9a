package org.hubsso.hub;

/** An attempt over its throttle's limit ({@link Throttle}): answered 429 with the message, nothing done. */
public class TooManyAttemptsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TooManyAttemptsException(String message) {
        super(message, null, false, false);
    }
}
