package io.beacon.streams.dedup.internal;

import io.beacon.event.DqFact;
import io.beacon.event.Event;

/** What the dedup stage emits: the first copy of an event, or the data-quality fact of a dropped duplicate. */
public sealed interface DedupOutput {
    /** The first copy within the horizon: it goes on to identity resolution. */
    record Unique(Event event) implements DedupOutput {
    }

    /** A dropped copy, as the fact written to {@code beacon.dq.facts} (stage {@link DqFact.Stage#DUPLICATE}). */
    record Duplicate(DqFact fact) implements DedupOutput {
    }
}
