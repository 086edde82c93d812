package io.beacon.engine.segments;

import static io.beacon.engine.state.StateFixtures.T0;
import static io.beacon.engine.state.StateFixtures.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.event.SegmentChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentMembershipTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults();
    private static final long HOUR = 3_600_000L;

    private static SegmentDefinition segment(String id, long version, Rule rule) {
        return new SegmentDefinition("shop", id, "Segment " + id, null, rule, version, 0);
    }

    private static final SegmentDefinition ACTIVE = segment("active", 3, new Rule.LastSeenWithin(Duration.ofHours(24)));
    private static final SegmentDefinition BUYERS = segment("buyers", 1, new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2));

    @Test
    void shouldEnterOnTheEventThatMatchesAndExitOnTimeWithoutEvents() {
        UserState s = new UserState("shop", "u1");
        s.apply(track("p1", "purchase", T0), 0, SETTINGS);
        SegmentMembership.Evaluation first = SegmentMembership.reevaluate(s, List.of(BUYERS, ACTIVE), T0, SegmentChange.Cause.EVENT, "p1");

        assertEquals(List.of(new SegmentChange("shop", "u1", "active", 3, SegmentChange.Kind.ENTERED, T0, SegmentChange.Cause.EVENT, "p1")),
                first.changes());
        assertEquals(T0 + 24 * HOUR, first.nextTimerAtMs());
        assertEquals(T0 + 24 * HOUR, s.nextTimerAtMs());

        s.apply(track("p2", "purchase", T0 + HOUR), 1, SETTINGS);
        SegmentMembership.Evaluation second = SegmentMembership.reevaluate(s, List.of(BUYERS, ACTIVE), T0 + HOUR, SegmentChange.Cause.EVENT, "p2");
        assertEquals(List.of(new SegmentChange("shop", "u1", "buyers", 1, SegmentChange.Kind.ENTERED, T0 + HOUR, SegmentChange.Cause.EVENT, "p2")),
                second.changes());
        assertEquals(Map.of("active", T0, "buyers", T0 + HOUR), s.memberships());

        // the timer fires: no event, the user leaves "active"
        long due = second.nextTimerAtMs();
        assertEquals(T0 + HOUR + 24 * HOUR, due);
        SegmentMembership.Evaluation timer = SegmentMembership.reevaluate(s, List.of(BUYERS, ACTIVE), due, SegmentChange.Cause.TIME, null);
        assertEquals(1, timer.changes().size());
        SegmentChange exit = timer.changes().get(0);
        assertEquals("active", exit.segmentId());
        assertEquals(SegmentChange.Kind.EXITED, exit.kind());
        assertEquals(SegmentChange.Cause.TIME, exit.cause());
        assertNull(exit.eventId());
        assertEquals(due, exit.atMs());
        // next: the first purchase leaving the 7-day window
        assertEquals((Math.floorDiv(T0, HOUR) + 168) * HOUR, timer.nextTimerAtMs());
    }

    @Test
    void shouldExitASegmentThatWasDeleted() {
        UserState s = new UserState("shop", "u1");
        s.apply(track("p1", "purchase", T0), 0, SETTINGS);
        SegmentMembership.reevaluate(s, List.of(ACTIVE), T0, SegmentChange.Cause.EVENT, "p1");

        SegmentMembership.Evaluation after = SegmentMembership.reevaluate(s, List.of(), T0 + 5, SegmentChange.Cause.TIME, null);

        assertEquals(List.of(new SegmentChange("shop", "u1", "active", 0, SegmentChange.Kind.EXITED, T0 + 5, SegmentChange.Cause.TIME, null)),
                after.changes());
        assertTrue(s.memberships().isEmpty());
        assertEquals(Long.MAX_VALUE, after.nextTimerAtMs());
    }

    @Test
    void shouldIgnoreOtherProjectsSegmentsAndNotRepeatAnEntry() {
        UserState s = new UserState("shop", "u1");
        s.apply(track("p1", "purchase", T0), 0, SETTINGS);
        SegmentDefinition foreign = new SegmentDefinition("blog", "active", "x", null, new Rule.LastSeenWithin(Duration.ofDays(1)), 1, 0);

        assertTrue(SegmentMembership.reevaluate(s, List.of(foreign), T0, SegmentChange.Cause.EVENT, "p1").changes().isEmpty());
        assertEquals(1, SegmentMembership.reevaluate(s, List.of(ACTIVE), T0, SegmentChange.Cause.EVENT, "p1").changes().size());
        assertTrue(SegmentMembership.reevaluate(s, List.of(ACTIVE), T0 + 1, SegmentChange.Cause.EVENT, "p1").changes().isEmpty());
    }
}
