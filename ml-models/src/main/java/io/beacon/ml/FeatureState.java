package io.beacon.ml;

import java.util.Optional;
import java.util.Set;

/**
 * What feature extraction reads of one user: the port the engine's user state implements through an
 * adapter, and that dataset building gets from {@link StateReplay} (the same state code replaying history),
 * so training and serving read one definition. Times are event times, epoch ms UTC. Windows follow
 * {@link FeatureWindow}. Implementations need not be thread-safe: one extraction reads one state.
 */
public interface FeatureState {

    /** The earliest event time seen, −1 when none. */
    long firstSeenMs();

    /** The latest event time seen, −1 when none. */
    long lastSeenMs();

    /** Sessions seen (distinct session ids). */
    long sessionsCount();

    /** Event names with their own counter. */
    Set<String> eventNames();

    /** Occurrences of {@code event} in window {@code w} at {@code nowMs}; 0 for an unknown name. */
    long count(String event, FeatureWindow w, long nowMs);

    /** All events in window {@code w} at {@code nowMs} (also those past the tracked-names cap). */
    long countAll(FeatureWindow w, long nowMs);

    /** Revenue (the project's revenue property) in window {@code w} at {@code nowMs}. */
    double revenue(FeatureWindow w, long nowMs);

    /**
     * UTC days with at least one event in {@code w} at {@code nowMs}: 0..7 for {@link FeatureWindow#D7} and
     * {@link FeatureWindow#PREV_D7}, 0..30 for {@link FeatureWindow#D30}. The extractor asks only for D7 and D30.
     */
    long activeDays(FeatureWindow w, long nowMs);

    /** A trait as text (a JSON string's value, a number's or boolean's text), empty when absent or null. */
    Optional<String> textTrait(String name);
}
