package io.beacon.ml;

import java.util.Objects;

/** A model artifact that must not be used, with the machine code of the reason. */
public final class ModelRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RefusalCode reason;

    public ModelRefusedException(RefusalCode reason, String message) {
        super(reason.code() + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ModelRefusedException(RefusalCode reason, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RefusalCode reason() {
        return reason;
    }

    /** The machine code, e.g. {@code model_tampered}. */
    public String code() {
        return reason.code();
    }
}
