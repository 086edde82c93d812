package io.beacon.gateway;

/**
 * The event log could not take the events now (broker down, timeout, full send queue); the gateway
 * answers 503 with {@code Retry-After}.
 */
public class EventLogUnavailableException extends RuntimeException {
    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventLogUnavailableException(String message) {
        super(message);
    }
}
