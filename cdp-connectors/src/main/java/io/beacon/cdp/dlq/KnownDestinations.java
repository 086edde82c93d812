package io.beacon.cdp.dlq;

/**
 * The port through which the DLQ API tells an unknown destination id (404 naming {@code destination}) from one
 * without dead letters (an empty page). Wired to the destination definitions of the config store.
 */
@FunctionalInterface
public interface KnownDestinations {

    /** Whether {@code destinationId} is (or was, while it still has letters) a destination of {@code projectId}. */
    boolean exists(String projectId, String destinationId);

    /** Every id is known: no 404s (the CLI, and tests that do not define destinations). */
    static KnownDestinations any() {
        return (projectId, destinationId) -> true;
    }
}
