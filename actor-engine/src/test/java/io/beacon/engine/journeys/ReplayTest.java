package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.HOUR;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.entered;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.pushOnce;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static io.beacon.engine.journeys.JourneyFixtures.welcome;
import static io.beacon.engine.journeys.JourneyFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The state records what it has done: replaying an input on the decoded state sends nothing twice. */
class ReplayTest {
    private final JourneyVersions journeys = versions(welcome());
    private final FakeUser ada = new FakeUser("u1").trait("name", "Ada").trait("plan", "pro");

    private static UserJourneys roundTrip(UserJourneys s) {
        return JourneyRunsCodec.decode(JourneyRunsCodec.encode(s));
    }

    @Test
    void shouldSendNothingWhenTheSameInputsAreReplayedOnTheDecodedState() {
        JourneyInput enter = entered("new_users", "e1");
        JourneyInput purchase = event("purchase", "{\"total\":50}", "e2");
        JourneyInterpreter.Outcome first = JourneyInterpreter.onEvent(UserJourneys.EMPTY, enter, journeys, NO_CAPS, ada, T0, UTC);
        JourneyInterpreter.Outcome second = JourneyInterpreter.onEvent(roundTrip(first.journeys()), purchase, journeys, NO_CAPS,
                ada, T0 + HOUR, UTC);
        UserJourneys decoded = roundTrip(second.journeys());

        JourneyInterpreter.Outcome replayEnter = JourneyInterpreter.onEvent(decoded, enter, journeys, NO_CAPS, ada, T0 + 2 * HOUR, UTC);
        JourneyInterpreter.Outcome replayPurchase = JourneyInterpreter.onEvent(decoded, purchase, journeys, NO_CAPS, ada,
                T0 + 2 * HOUR, UTC);

        assertEquals(List.of("journey/welcome/v1/u1/1/push1"), first.sends().stream().map(JourneySend::messageKey).toList());
        assertEquals(List.of("journey/welcome/v1/u1/1/crm"), second.sends().stream().map(JourneySend::messageKey).toList());
        for (JourneyInterpreter.Outcome replay : List.of(replayEnter, replayPurchase)) {
            assertEquals(List.of(), replay.sends());
            assertEquals(List.of(), replay.events());
            assertEquals(decoded, replay.journeys());
        }
    }

    @Test
    void shouldNotReEnterWhenATriggerEventIsReplayedAfterTheRunEnded() {
        JourneyVersions always = versions(with(pushOnce("a", 0), "re_entry", "{\"policy\":\"always\"}"));
        UserJourneys done = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), always, NO_CAPS, ada, T0, UTC)
                .journeys();

        JourneyInterpreter.Outcome replay = JourneyInterpreter.onEvent(roundTrip(done), event("signup", "e1"), always, NO_CAPS,
                ada, T0 + 1, UTC);

        assertEquals(List.of(), replay.sends());
        assertEquals(1, replay.journeys().run("a").orElseThrow().entry());
    }

    @Test
    void shouldDecideTheSameSendsOnTheDecodedStateAsOnTheOriginal() {
        UserJourneys waiting = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("new_users", "e1"), journeys, NO_CAPS, ada,
                T0, UTC).journeys();

        JourneyInterpreter.Outcome original = JourneyInterpreter.onTimer(waiting, journeys, NO_CAPS, ada, T0 + 2 * DAY, UTC);
        JourneyInterpreter.Outcome decoded = JourneyInterpreter.onTimer(roundTrip(waiting), journeys, NO_CAPS, ada, T0 + 2 * DAY, UTC);

        assertEquals(original.sends(), decoded.sends());
        assertEquals(original.events(), decoded.events());
        assertEquals(original.journeys(), decoded.journeys());
    }

    @Test
    void shouldSendNothingWhenATimerIsReplayedAfterItFired() {
        UserJourneys waiting = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("new_users", "e1"), journeys, NO_CAPS, ada,
                T0, UTC).journeys();
        UserJourneys fired = roundTrip(JourneyInterpreter.onTimer(waiting, journeys, NO_CAPS, ada, T0 + 2 * DAY, UTC).journeys());

        JourneyInterpreter.Outcome replay = JourneyInterpreter.onTimer(fired, journeys, NO_CAPS, ada, T0 + 2 * DAY, UTC);

        assertEquals(List.of(), replay.sends());
        assertEquals(List.of(), replay.events());
    }
}
