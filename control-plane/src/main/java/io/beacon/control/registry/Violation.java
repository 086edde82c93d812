package io.beacon.control.registry;

import java.util.Objects;

/**
 * One finding of {@link EventValidator}.
 *
 * @param code     the stable reason
 * @param field    {@code event} for event-level findings, {@code properties.<name>} for a property
 * @param message  a sentence a developer can act on (never contains property values of PII properties)
 * @param severity whether it rejects the event or only flags it
 */
public record Violation(ViolationCode code, String field, String message, Severity severity) {
    public enum Severity { ERROR, WARNING }

    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(severity, "severity");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code CODE:field}, the compact form stored in the event's warnings column. */
    public String tag() {
        return code.name() + ":" + field;
    }
}
