package io.beacon.engine.runtime;

/**
 * The journeys of a project, as the entities run them (in a node: {@link JourneyCatalogSource}). Read on every event
 * of a project's user, so it must be cheap; a change (publication, status, caps) applies from each user's next event
 * or timer.
 */
@FunctionalInterface
public interface JourneySource {
    /** No journeys anywhere: the entities never run the interpreter. */
    JourneySource NONE = ProjectJourneys::none;

    /** The journeys of {@code projectId} ({@link ProjectJourneys#isEmpty()} when it has none). */
    ProjectJourneys forProject(String projectId);
}
