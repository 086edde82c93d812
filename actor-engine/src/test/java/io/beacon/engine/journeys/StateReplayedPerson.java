package io.beacon.engine.journeys;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.runtime.UserStateView;
import io.beacon.engine.segments.SegmentMembership;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.event.Event;
import io.beacon.event.SegmentChange;
import java.util.ArrayList;
import java.util.List;

/** {@link JourneySimulator.ReplayedPerson} over the engine's real user state and segment membership, for the tests. */
final class StateReplayedPerson implements JourneySimulator.ReplayedPerson {
    private final UserState state;
    private final List<SegmentDefinition> segments;
    private long offset;

    StateReplayedPerson(String projectId, String personId, List<SegmentDefinition> segments) {
        this.state = new UserState(projectId, personId);
        this.segments = segments;
    }

    @Override
    public UserView view() {
        return new UserStateView(state);
    }

    @Override
    public List<JourneyInput> apply(Event event) {
        state.apply(event, offset++, EngineSettings.defaults());
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
            out.add(c.kind() == SegmentChange.Kind.ENTERED ? new JourneyInput.SegmentEntered(c.segmentId(), c.eventId())
                    : new JourneyInput.SegmentExited(c.segmentId(), c.eventId()));
        }
        return out;
    }
}
