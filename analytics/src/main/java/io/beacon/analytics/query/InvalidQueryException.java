package io.beacon.analytics.query;

import io.beacon.event.RefusedException;

/**
 * A query the API refuses as invalid (code {@code INVALID_QUERY}): {@code field} is the JSON path of the
 * offending value ({@code series[1].filters[0].property}), {@code message} says what is wrong with it.
 */
public final class InvalidQueryException extends RefusedException {
    public InvalidQueryException(String field, String message) {
        super(Kind.INVALID, "INVALID_QUERY", field + ": " + message, field);
    }

    /** The reason without the field prefix. */
    public String reason() {
        return getMessage().substring(field().length() + 2);
    }
}
