package io.beacon.cdp.audience;

/**
 * A segment's members cannot be read now: no engine runs on this node, or a partition of its index is being
 * restored or moved, or it did not answer in time. Asking again later may succeed (503 with Retry-After).
 */
public final class AudienceUnavailableException extends RuntimeException {
    public AudienceUnavailableException(String message) {
        super(message);
    }

    public AudienceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
