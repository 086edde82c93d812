package io.beacon.event;

import java.util.Objects;

/**
 * A request that domain code refuses by its own rules: what kind of refusal ({@link Kind}), a stable upper-case
 * code ({@code COHORT_NOT_FOUND}), a sentence a developer can act on and, where it applies, the field
 * at fault. It carries no HTTP status: the HTTP kit maps the kind to one, the same way for every
 * module. A refusal is not an error of the server, so no stack trace is taken.
 */
public class RefusedException extends RuntimeException {
    /** What kind of refusal, which decides the status. */
    public enum Kind {
        /** The input is wrong. */
        INVALID,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request contradicts the current state (a version, a type). */
        CONFLICT,
        /** The request is valid but needs more than a limit of the server allows. */
        LIMIT_EXCEEDED,
        /** The caller already has as much work running as it may; retry later. */
        BUSY
    }

    private final Kind kind;
    private final String code;
    private final String field;
    private final long retryAfterSeconds;

    /**
     * @param field the JSON path of the offending value, or {@code null} when the whole request is at fault
     */
    public RefusedException(Kind kind, String code, String message, String field) {
        this(kind, code, message, field, 0);
    }

    /** @param retryAfterSeconds when a retry may succeed (for {@link Kind#BUSY}); 0: not said */
    public RefusedException(Kind kind, String code, String message, String field, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** The JSON path of the offending value, or {@code null}. */
    public String field() {
        return field;
    }

    /** Seconds after which a retry may succeed; 0 when not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
