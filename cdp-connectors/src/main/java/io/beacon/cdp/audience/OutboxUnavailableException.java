package io.beacon.cdp.audience;

/**
 * The outbox (Kafka) did not take a resync's messages: part of the resync may be enqueued; retrying with the same
 * resync id sends the same message ids, so the receiver drops what it already has.
 */
public final class OutboxUnavailableException extends RuntimeException {
    private final String resyncId;

    public OutboxUnavailableException(String resyncId, String message, Throwable cause) {
        super(message, cause);
        this.resyncId = resyncId;
    }

    /** The resync id to retry with. */
    public String resyncId() {
        return resyncId;
    }
}
