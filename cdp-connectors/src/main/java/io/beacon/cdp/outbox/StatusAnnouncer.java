package io.beacon.cdp.outbox;

import io.beacon.cdp.delivery.DestinationHealth;

/**
 * Where a destination's state changes (degraded, disabled, recovered) are announced besides the log line and the
 * metric the worker always writes: an event in Beacon, a message to the alert destination.
 */
public interface StatusAnnouncer {
    void announce(String projectId, String destinationId, DestinationHealth.StatusChange change);
}
