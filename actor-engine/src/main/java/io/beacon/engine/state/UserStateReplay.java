package io.beacon.engine.state;

import io.beacon.event.Event;
import io.beacon.ml.FeatureState;
import io.beacon.ml.StateReplay;
import java.util.List;
import java.util.Objects;

/**
 * {@link StateReplay} with the engine's own state code: a fresh {@link UserState} folds in the events (offsets
 * 0, 1, 2, … in the given order) under the same {@link EngineSettings} the engine runs with, and is read through
 * {@link UserStateFeatures}. Training builds its point-in-time states this way, so an offline vector equals the
 * live state's vector for the same events and time. Stateless and thread-safe (each call builds its own state).
 */
public final class UserStateReplay implements StateReplay {
    private final EngineSettings settings;

    public UserStateReplay(EngineSettings settings) {
        this.settings = settings;
    }

    @Override
    public FeatureState replay(List<Event> eventsUpTo, long asOfMs) {
        return new UserStateFeatures(fold(eventsUpTo));
    }

    /** The state after {@code events}, in order (project and person of the first event; empty ids when none). */
    public UserState fold(List<Event> events) {
        Event first = events.isEmpty() ? null : events.get(0);
        UserState s = new UserState(first == null ? "" : Objects.requireNonNullElse(first.projectId(), ""),
                first == null ? "" : Objects.requireNonNullElse(first.personId(), ""));
        long offset = 0;
        for (Event e : events) {
            s.apply(e, offset++, settings);
        }
        return s;
    }
}
