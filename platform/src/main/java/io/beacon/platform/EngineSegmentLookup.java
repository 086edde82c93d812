package io.beacon.platform;

import io.beacon.abtest.assignment.SegmentLookup;
import io.beacon.engine.runtime.Engine;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The A/B module's {@link SegmentLookup} port onto the actor engine of a node with the {@code engine} role: the
 * unit id ({@code user_id}, else {@code device_id}) is the engine's person id, so the lookup asks entity
 * {@code project:unit} through cluster sharding ({@link Engine#segmentsOf}), on whichever node owns its partition.
 * A unit the engine never saw is in no segment.
 *
 * <p>The person id is the user id for identified users and the anonymous (device) id otherwise; the engine keeps
 * no merged state across an identify, so a user's memberships count only the events attributed to that id.
 */
final class EngineSegmentLookup implements SegmentLookup {
    private final Engine engine;
    private final Duration timeout;

    /** @param timeout the ask's timeout (the A/B module bounds the whole lookup by its own timeout too) */
    EngineSegmentLookup(Engine engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Set<String>> segmentsOf(String projectId, String unitId) {
        return engine.segmentsOf(projectId, unitId, timeout);
    }

    @Override
    public String toString() {
        return "EngineSegmentLookup[" + engine.settings().nodeId() + "]";
    }
}
