package io.beacon.analytics.query;

/**
 * A query the API refuses (HTTP 400): {@code field} is the JSON path of the offending value
 * ({@code series[1].filters[0].property}), {@code message} says what is wrong with it.
 */
public final class InvalidQueryException extends RuntimeException {
    private final String field;

    public InvalidQueryException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The JSON path of the offending value. */
    public String field() {
        return field;
    }

    /** The reason without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
