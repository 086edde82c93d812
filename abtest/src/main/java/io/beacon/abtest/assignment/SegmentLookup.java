package io.beacon.abtest.assignment;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a unit's realtime segment memberships come from when an experiment targets segments and the caller did
 * not pass the unit's {@code segments} attribute (see {@link AssignmentService#withSegments}). The platform's
 * adapter asks the actor engine (its user entity {@code project:person}); {@link #NONE} is the port of a node
 * without the engine, where targeting by segment reads only the caller's {@code segments} attribute.
 *
 * <p>Implementations must not block: the assignment service calls them on the HTTP dispatcher and bounds the
 * answer by {@code beacon.abtest.segment-lookup-timeout}.
 */
@FunctionalInterface
public interface SegmentLookup {

    /** No lookup: a unit without a {@code segments} attribute is in no segment (the behaviour before the engine). */
    SegmentLookup NONE = new SegmentLookup() {
        @Override
        public CompletionStage<Set<String>> segmentsOf(String projectId, String unitId) {
            return CompletableFuture.completedFuture(Set.of());
        }

        @Override
        public String toString() {
            return "SegmentLookup.NONE";
        }
    };

    /**
     * The ids of the segments unit {@code unitId} is a member of now; an empty set for a unit nobody knows.
     * Completes exceptionally when the memberships cannot be read now.
     *
     * @param unitId the unit's {@code user_id}, else its {@code device_id} (the engine's person id: the user id
     *               of identified users, the anonymous/device id of the others)
     */
    CompletionStage<Set<String>> segmentsOf(String projectId, String unitId);
}
