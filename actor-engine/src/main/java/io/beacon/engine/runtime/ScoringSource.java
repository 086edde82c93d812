package io.beacon.engine.runtime;

import io.beacon.engine.scoring.ActiveModels;
import java.util.Optional;

/**
 * The models that score a project's users, as the entities read them (in a node: {@link ModelCatalog}). An entity
 * reads it once per scoring of a user, so a promotion applies from the next scoring on, without a restart and
 * without touching events in flight.
 */
@FunctionalInterface
public interface ScoringSource {
    /** No models anywhere: nothing is scored. */
    ScoringSource NONE = projectId -> Optional.empty();

    /** The active models of {@code projectId}, empty when it has none; must be cheap, it is called per scoring. */
    Optional<ActiveModels> forProject(String projectId);
}
