package io.beacon.streams.sessions.internal;

import io.beacon.event.Event;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;

/** What the identify-and-sessionize stage emits; each kind goes to its own topic. */
public sealed interface StageOutput {
    /** A resolved, sessionized event for {@code beacon.events.valid}. */
    record Resolved(Event event) implements StageOutput {
    }

    /** A session's new state for {@code beacon.sessions}. */
    record Summary(SessionSummary summary) implements StageOutput {
    }

    /** A merged-away session: a tombstone (null value) on {@code beacon.sessions}. */
    record Tombstone() implements StageOutput {
    }

    /** A distinct id → person link for {@code beacon.person-distinct-ids}. */
    record Link(PersonDistinctId link) implements StageOutput {
    }

    /** A person property for {@code beacon.persons}. */
    record Property(PersonProperty property) implements StageOutput {
    }
}
