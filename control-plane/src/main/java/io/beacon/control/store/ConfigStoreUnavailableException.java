package io.beacon.control.store;

/**
 * The store cannot serve the request now: not started or not caught up yet, closed, Kafka not
 * reachable, or a write was not confirmed in time. After a write timeout the outcome is unknown:
 * re-read before retrying. The admin API answers 503.
 */
public final class ConfigStoreUnavailableException extends RuntimeException {
    public ConfigStoreUnavailableException(String message) {
        super(message);
    }

    public ConfigStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
