package org.hubsso.hub;

/** Bad input for one field, with the message to show next to it. Nothing was changed. */
public class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ValidationException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String getField() {
        return field;
    }
}
