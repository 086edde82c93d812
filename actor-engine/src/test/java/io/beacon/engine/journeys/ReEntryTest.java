package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.graph;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.pushOnce;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static io.beacon.engine.journeys.JourneyFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-entry: once, after a cool-down since the last entry, always — never two active runs of one journey. */
class ReEntryTest {
    private final FakeUser user = new FakeUser("u1");

    private JourneyInterpreter.Outcome signup(UserJourneys state, JourneyVersions journeys, String eventId, long nowMs) {
        return JourneyInterpreter.onEvent(state, event("signup", eventId), journeys, NO_CAPS, user, nowMs, UTC);
    }

    @Test
    void shouldNotEnterAgainWhenThePolicyIsOnce() {
        JourneyVersions journeys = versions(with(pushOnce("a", 0), "re_entry", "{\"policy\":\"once\"}"));
        UserJourneys done = signup(UserJourneys.EMPTY, journeys, "e1", T0).journeys();

        JourneyInterpreter.Outcome again = signup(done, journeys, "e2", T0 + 365 * DAY);

        assertEquals(List.of(), again.events());
        assertEquals(1, again.journeys().run("a").orElseThrow().entry());
    }

    @Test
    void shouldEnterAgainOnlyAfterTheCooldownSinceTheLastEntry() {
        JourneyVersions journeys = versions(with(pushOnce("a", 0), "re_entry", "{\"policy\":\"after\",\"cooldown\":\"P30D\"}"));
        UserJourneys done = signup(UserJourneys.EMPTY, journeys, "e1", T0).journeys();

        JourneyInterpreter.Outcome tooSoon = signup(done, journeys, "e2", T0 + 30 * DAY - 1);
        JourneyInterpreter.Outcome later = signup(tooSoon.journeys(), journeys, "e3", T0 + 30 * DAY);

        assertEquals(List.of(), tooSoon.events());
        assertEquals(List.of("entered", "step_entered:p", "sent:p", "step_entered:done", "completed:done"), kinds(later.events()));
        assertEquals(2, later.events().get(0).entry());
        assertEquals(0, later.events().get(0).seq());
        assertEquals("journey/a/v1/u1/2/p", later.sends().get(0).messageKey());
    }

    @Test
    void shouldEnterAgainAtOnceWhenThePolicyIsAlways() {
        JourneyVersions journeys = versions(with(pushOnce("a", 0), "re_entry", "{\"policy\":\"always\"}"));
        UserJourneys done = signup(UserJourneys.EMPTY, journeys, "e1", T0).journeys();

        JourneyInterpreter.Outcome again = signup(done, journeys, "e2", T0 + 1);

        assertEquals(2, again.journeys().run("a").orElseThrow().entry());
        assertEquals(1, again.sends().size());
    }

    @Test
    void shouldNeverStartASecondRunWhileOneIsActive() {
        JourneyVersions journeys = versions(with(graph("slow", 0, "d", "{\"d\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"e\"},"
                + "\"e\":{\"type\":\"exit\"}}"), "re_entry", "{\"policy\":\"always\"}"));
        UserJourneys delayed = signup(UserJourneys.EMPTY, journeys, "e1", T0).journeys();

        JourneyInterpreter.Outcome again = signup(delayed, journeys, "e2", T0 + 1000);

        assertEquals(List.of(), again.events());
        assertEquals(1, again.journeys().run("slow").orElseThrow().entry());
        assertEquals(T0 + DAY, again.nextWakeAtMs());
    }
}
