package io.beacon.engine.runtime;

import io.beacon.control.segments.SegmentDefinition;
import java.util.List;

/**
 * The segment definitions of a project, as the entities evaluate them (in a node: control-plane's
 * {@code io.beacon.control.segments.SegmentCatalog::segments}). A changed definition applies from
 * the next event or timer of each user (members are not re-evaluated in bulk when a definition changes).
 */
@FunctionalInterface
public interface SegmentSource {
    /** The current definitions of {@code projectId} (empty when none); must be cheap, it is called per event. */
    List<SegmentDefinition> forProject(String projectId);
}
