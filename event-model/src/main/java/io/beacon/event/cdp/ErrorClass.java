package io.beacon.event.cdp;

import java.util.Locale;
import java.util.Optional;

/** Why a delivery attempt failed, for the DLQ, the delivery log and replay filters. */
public enum ErrorClass {
    /** The retry schedule ran out on retryable failures (5xx, timeouts, connection errors, throttling). */
    EXHAUSTED,
    /** A 4xx other than 408/409/425/429: the receiver refused this message; retrying will not help. */
    REJECTED,
    /** The destination answered 410 Gone, or was disabled, or deleted, while the message waited. */
    DESTINATION_DISABLED,
    /** The destination's URL resolved to a refused address (loopback, private, link-local) at send time. */
    BLOCKED_ADDRESS,
    /** The message could not be rendered for the destination (template, field mapping). */
    RENDER_FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorClass> fromWire(String s) {
        for (ErrorClass c : values()) {
            if (c.wireName().equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
