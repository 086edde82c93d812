package io.beacon.control.journeys;

import java.util.Objects;
import java.util.Set;

/**
 * What validating a journey needs to know about the rest of the project: which destinations and segments exist.
 * The service passes views of its catalogues; tests pass {@link #of} sets.
 */
public interface JourneyContext {

    /** Whether the project has a destination {@code id} (enabled or not). */
    boolean hasDestination(String id);

    /** Whether the project has a segment {@code id}. */
    boolean hasSegment(String id);

    /** A context knowing exactly these destinations and segments. */
    static JourneyContext of(Set<String> destinationIds, Set<String> segmentIds) {
        Set<String> destinations = Set.copyOf(destinationIds);
        Set<String> segments = Set.copyOf(segmentIds);
        return new JourneyContext() {
            @Override
            public boolean hasDestination(String id) {
                return destinations.contains(Objects.requireNonNull(id, "id"));
            }

            @Override
            public boolean hasSegment(String id) {
                return segments.contains(Objects.requireNonNull(id, "id"));
            }
        };
    }

    /**
     * A context that accepts every reference: for reading stored documents, whose references were checked when
     * they were written (a destination deleted since is the engine's to report, not a reason to drop the journey).
     */
    static JourneyContext unchecked() {
        return new JourneyContext() {
            @Override
            public boolean hasDestination(String id) {
                return true;
            }

            @Override
            public boolean hasSegment(String id) {
                return true;
            }
        };
    }
}
