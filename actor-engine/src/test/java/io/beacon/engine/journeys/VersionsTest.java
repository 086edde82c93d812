package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.HOUR;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.graph;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.beacon.control.journeys.JourneyDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs stay on the version they entered; new entries take the live version; a mapping moves only mapped steps. */
class VersionsTest {
    /** v1: a branch on trait {@code path} sends users to delay d1 or d2 (1 day), then a send of v1. */
    private static final JourneyDefinition V1 = parse(graph("promo", 0, "split",
            "{\"split\":{\"type\":\"branch\",\"condition\":{\"trait\":{\"name\":\"path\",\"op\":\"eq\",\"value\":\"a\"}},"
                    + "\"then\":\"d1\",\"else\":\"d2\"},"
                    + "\"d1\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"old\"},"
                    + "\"d2\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"old\"},"
                    + "\"old\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\",\"template\":{\"t\":\"v1\"},\"next\":\"e\"},"
                    + "\"e\":{\"type\":\"exit\"}}"));
    /** v2: a 2-day delay n1, then a send of v2. */
    private static final JourneyDefinition V2 = parse(graph("promo", 0, "n1",
            "{\"n1\":{\"type\":\"delay\",\"duration\":\"P2D\",\"next\":\"new\"},"
                    + "\"new\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\",\"template\":{\"t\":\"v2\"},\"next\":\"x\"},"
                    + "\"x\":{\"type\":\"exit\"}}").replace("\"journey_version\":1", "\"journey_version\":2"));

    private final FakeUser a = new FakeUser("ua").trait("path", "a");
    private final FakeUser b = new FakeUser("ub").trait("path", "b");
    private final FakeUser c = new FakeUser("uc");

    private static UserJourneys enter(FakeUser user, JourneyVersions journeys, long nowMs) {
        return JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e-" + user.personId()), journeys, NO_CAPS, user,
                nowMs, UTC).journeys();
    }

    @Test
    void shouldFinishRunsOnTheirVersionWhileNewEntriesTakeTheLiveVersion() {
        UserJourneys onV1 = enter(a, versions(V1), T0);
        JourneyVersions both = versions(V2, V1);
        UserJourneys onV2 = enter(c, both, T0 + HOUR);

        JourneyInterpreter.Outcome v1Done = JourneyInterpreter.onTimer(onV1, both, NO_CAPS, a, T0 + DAY, UTC);
        JourneyInterpreter.Outcome v2Done = JourneyInterpreter.onTimer(onV2, both, NO_CAPS, c, T0 + HOUR + 2 * DAY, UTC);

        assertEquals(2, onV2.run("promo").orElseThrow().journeyVersion());
        assertEquals(List.of("journey/promo/v1/ua/1/old"), v1Done.sends().stream().map(JourneySend::messageKey).toList());
        assertEquals(Map.of("t", "v1"), v1Done.sends().get(0).fields());
        assertEquals(List.of(1), v1Done.events().stream().map(e -> e.journeyVersion()).distinct().toList());
        assertEquals(List.of("journey/promo/v2/uc/1/new"), v2Done.sends().stream().map(JourneySend::messageKey).toList());
    }

    @Test
    void shouldMoveTheRunsAtMappedStepsAndNoOthers() {
        UserJourneys atD1 = enter(a, versions(V1), T0);
        UserJourneys atD2 = enter(b, versions(V1), T0);
        Map<String, String> mapping = Map.of("d1", "n1");

        JourneyInterpreter.Outcome moved = JourneyInterpreter.applyMapping(atD1, V1, V2, mapping, "shop", "ua", T0 + HOUR);
        JourneyInterpreter.Outcome stayed = JourneyInterpreter.applyMapping(atD2, V1, V2, mapping, "shop", "ub", T0 + HOUR);

        assertEquals(List.of("moved:d1(v2:n1)", "step_entered:n1"), kinds(moved.events()));
        assertEquals(List.of(1, 2), moved.events().stream().map(e -> e.journeyVersion()).toList());
        JourneyRun run = moved.journeys().run("promo").orElseThrow();
        assertEquals(2, run.journeyVersion());
        assertEquals("n1", run.stepId());
        assertEquals(T0, run.stepEnteredAtMs());
        assertEquals(T0 + HOUR, moved.nextWakeAtMs());
        assertSame(atD2, stayed.journeys());
        assertEquals(List.of(), stayed.events());
    }

    @Test
    void shouldContinueAMovedRunUnderTheNewVersionsStep() {
        JourneyVersions both = versions(V1, V2);
        UserJourneys moved = JourneyInterpreter.applyMapping(enter(a, versions(V1), T0), V1, V2, Map.of("d1", "n1"), "shop",
                "ua", T0 + HOUR).journeys();

        JourneyInterpreter.Outcome resumed = JourneyInterpreter.onTimer(moved, both, NO_CAPS, a, T0 + HOUR, UTC);
        JourneyInterpreter.Outcome done = JourneyInterpreter.onTimer(resumed.journeys(), both, NO_CAPS, a, T0 + 2 * DAY, UTC);

        // n1's two days count from when the run arrived at d1
        assertEquals(List.of(), resumed.events());
        assertEquals(T0 + 2 * DAY, resumed.nextWakeAtMs());
        assertEquals(List.of("journey/promo/v2/ua/1/new"), done.sends().stream().map(JourneySend::messageKey).toList());
    }
}
