package io.beacon.ml;

import io.beacon.event.Event;
import java.util.List;

/**
 * Builds the state of one person as of a time from that person's history, by replaying the events through
 * the same state code the engine runs live (point-in-time: the caller passes only events with
 * {@code eventTime <= asOfMs}). The engine implements it with its user state; training uses it so that an
 * offline feature vector equals the online one by construction.
 */
public interface StateReplay {

    /**
     * The state after folding in {@code eventsUpTo} (sorted by event time, all at or before {@code asOfMs}),
     * read at {@code asOfMs}.
     */
    FeatureState replay(List<Event> eventsUpTo, long asOfMs);
}
