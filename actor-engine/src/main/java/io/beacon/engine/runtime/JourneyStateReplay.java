package io.beacon.engine.runtime;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.journeys.JourneyInput;
import io.beacon.engine.journeys.JourneySimulator;
import io.beacon.engine.journeys.UserView;
import io.beacon.engine.segments.SegmentMembership;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.event.Event;
import io.beacon.event.SegmentChange;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's engine state rebuilt from their history for a journey dry run: each event folded into a fresh
 * {@link UserState} at offsets 0, 1, 2, … (as {@code UserStateReplay} does) and the given segments re-evaluated at the
 * event's time, the way the user's actor does on each event and timer.
 */
public final class JourneyStateReplay implements JourneySimulator.ReplayedPerson {
    private final UserState state;
    private final List<SegmentDefinition> segments;
    private final EngineSettings settings;
    private long offset;

    public JourneyStateReplay(String projectId, String personId, List<SegmentDefinition> segments, EngineSettings settings) {
        this.state = new UserState(projectId, personId);
        this.segments = List.copyOf(segments);
        this.settings = settings;
    }

    @Override
    public UserView view() {
        return new UserStateView(state);
    }

    @Override
    public List<JourneyInput> apply(Event event) {
        state.apply(event, offset++, settings);
        return inputs(SegmentMembership.reevaluate(state, segments, event.eventTime(), SegmentChange.Cause.EVENT, event.eventId()));
    }

    @Override
    public long nextChangeAtMs() {
        return state.nextTimerAtMs();
    }

    @Override
    public List<JourneyInput> advanceTo(long atMs) {
        return inputs(SegmentMembership.reevaluate(state, segments, atMs, SegmentChange.Cause.TIME, null));
    }

    private static List<JourneyInput> inputs(SegmentMembership.Evaluation ev) {
        List<JourneyInput> out = new ArrayList<>();
        for (SegmentChange c : ev.changes()) {
            out.add(segmentInput(c));
        }
        return out;
    }

    /** The journey input of a segment entry or exit. */
    static JourneyInput segmentInput(SegmentChange c) {
        return c.kind() == SegmentChange.Kind.ENTERED ? new JourneyInput.SegmentEntered(c.segmentId(), c.eventId())
                : new JourneyInput.SegmentExited(c.segmentId(), c.eventId());
    }
}
