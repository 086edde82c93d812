package io.beacon.event;

import java.util.Objects;

/**
 * A typed refusal of an input: the reason code, a human message and, where it applies, the field
 * that is wrong. Returned to HTTP clients and written to the dead-letter topic.
 *
 * @param code    the stable reason code
 * @param message a sentence a developer can act on
 * @param field   the offending field name, or {@code null} when the whole input is at fault
 */
public record Rejection(RejectionCode code, String message, String field) {
    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Rejection of(RejectionCode code, String message) {
        return new Rejection(code, message, null);
    }

    public static Rejection of(RejectionCode code, String field, String message) {
        return new Rejection(code, message, field);
    }
}
