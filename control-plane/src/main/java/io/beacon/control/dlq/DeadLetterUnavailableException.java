package io.beacon.control.dlq;

/** Kafka did not let the DLQ be read to its end, or replayed records be acknowledged, in time. */
public final class DeadLetterUnavailableException extends RuntimeException {

    public DeadLetterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
