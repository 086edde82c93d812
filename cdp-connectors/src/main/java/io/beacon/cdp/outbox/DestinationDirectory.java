package io.beacon.cdp.outbox;

import io.beacon.control.destinations.DestinationDefinition;
import java.util.Optional;

/** The port onto the destination definitions: the worker reads them and disables one the receiver gave up on. */
public interface DestinationDirectory {
    /** The current definition (enabled or not), empty when it was deleted. */
    Optional<DestinationDefinition> destination(String projectId, String destinationId);

    /** Disables the destination durably (a new version with {@code enabled=false} and the reason); asynchronous. */
    void disable(String projectId, String destinationId, String reason);
}
