package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.NEW_YORK;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.caps;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.pushOnce;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static io.beacon.engine.journeys.JourneyFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.event.JourneyEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frequency caps per channel and local day across journeys, priorities, and quiet hours in the user's zone. */
class CapsAndQuietHoursTest {
    private static final FrequencyCaps ONE_PUSH = caps(Map.of("push", 1));
    private final FakeUser user = new FakeUser("u1");

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldLetTheHigherPriorityJourneySendWhenBothWantTheLastSendOfTheDay() {
        JourneyVersions journeys = versions(parse(pushOnce("aaa_low", 1)), parse(pushOnce("zzz_high", 9)));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, ONE_PUSH,
                user, at("2026-11-23T10:00:00Z"), UTC);

        assertEquals(List.of("zzz_high"), o.sends().stream().map(JourneySend::journeyId).toList());
        List<JourneyEvent> low = o.events().stream().filter(e -> e.journeyId().equals("aaa_low")).toList();
        assertEquals(List.of("entered", "step_entered:p", "capped:p", "step_entered:done", "completed:done"), kinds(low));
        assertEquals("push", low.get(2).channel());
        assertEquals("zzz_high", o.events().get(0).journeyId());
        assertEquals(JourneyRun.Status.COMPLETED, o.journeys().run("aaa_low").orElseThrow().status());
        assertEquals(1, o.journeys().sendsOn("push", LocalClock.epochDay(at("2026-11-23T10:00:00Z"), UTC)));
    }

    @Test
    void shouldBreakAPriorityTieByJourneyId() {
        JourneyVersions journeys = versions(parse(pushOnce("beta", 3)), parse(pushOnce("alpha", 3)));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, ONE_PUSH,
                user, at("2026-11-23T10:00:00Z"), UTC);

        assertEquals(List.of("alpha"), o.sends().stream().map(JourneySend::journeyId).toList());
    }

    @Test
    void shouldNotCapAChannelWithoutACap() {
        JourneyVersions journeys = versions(parse(pushOnce("a", 1)), parse(pushOnce("b", 2)));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys,
                caps(Map.of("email", 1)), user, at("2026-11-23T10:00:00Z"), UTC);

        assertEquals(List.of("b", "a"), o.sends().stream().map(JourneySend::journeyId).toList());
    }

    @Test
    void shouldCountTheCapPerLocalDayOfTheUsersZone() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "re_entry", "{\"policy\":\"always\"}"));
        // 23:00 and 23:30 on Nov 23 in New York are both after midnight UTC; 00:30 on Nov 24 in New York is a new local day
        UserJourneys first = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, ONE_PUSH, user,
                at("2026-11-24T04:00:00Z"), NEW_YORK).journeys();
        JourneyInterpreter.Outcome sameDay = JourneyInterpreter.onEvent(first, event("signup", "e2"), journeys, ONE_PUSH, user,
                at("2026-11-24T04:30:00Z"), NEW_YORK);
        JourneyInterpreter.Outcome nextDay = JourneyInterpreter.onEvent(sameDay.journeys(), event("signup", "e3"), journeys,
                ONE_PUSH, user, at("2026-11-24T05:30:00Z"), NEW_YORK);

        assertEquals(List.of(), sameDay.sends());
        assertEquals(List.of("entered", "step_entered:p", "capped:p", "step_entered:done", "completed:done"), kinds(sameDay.events()));
        assertEquals(List.of("journey/a/v1/u1/3/p"), nextDay.sends().stream().map(JourneySend::messageKey).toList());
    }

    @Test
    void shouldDelayASendInQuietHoursUntilTheirEndInTheUsersZone() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "quiet_hours",
                "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"delay\"}"));
        long lateEvening = at("2026-11-24T04:30:00Z"); // 23:30 in New York

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, lateEvening, NEW_YORK);
        long eight = at("2026-11-24T13:00:00Z"); // 08:00 the next morning in New York
        JourneyInterpreter.Outcome early = JourneyInterpreter.onTimer(o.journeys(), journeys, NO_CAPS, user, eight - 1, NEW_YORK);
        JourneyInterpreter.Outcome morning = JourneyInterpreter.onTimer(o.journeys(), journeys, NO_CAPS, user, eight, NEW_YORK);

        assertEquals(List.of(), o.sends());
        assertEquals(List.of("entered", "step_entered:p"), kinds(o.events()));
        assertEquals(eight, o.nextWakeAtMs());
        assertEquals(List.of(), early.events());
        assertEquals(List.of("sent:p", "step_entered:done", "completed:done"), kinds(morning.events()));
        assertEquals("journey/a/v1/u1/1/p", morning.sends().get(0).messageKey());
    }

    @Test
    void shouldDelayASendAfterMidnightUntilTheEndOfTheSameNight() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "quiet_hours",
                "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"delay\"}"));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, at("2026-11-24T06:00:00Z"), NEW_YORK); // 01:00 in New York

        assertEquals(at("2026-11-24T13:00:00Z"), o.nextWakeAtMs());
    }

    @Test
    void shouldSkipASendInQuietHoursAndGoOnWhenTheJourneySkips() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "quiet_hours",
                "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"skip\"}"));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, at("2026-11-24T04:30:00Z"), NEW_YORK);

        assertEquals(List.of(), o.sends());
        assertEquals(List.of("entered", "step_entered:p", "suppressed:p(quiet_hours)", "step_entered:done", "completed:done"),
                kinds(o.events()));
        assertEquals("push", o.events().get(2).channel());
    }

    @Test
    void shouldSendWhenItIsNightInUtcButEveningInTheUsersZone() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "quiet_hours",
                "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"skip\"}"));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, at("2026-11-23T23:30:00Z"), NEW_YORK); // 18:30 in New York

        assertEquals(1, o.sends().size());
    }

    @Test
    void shouldReadQuietHoursInUtcWhenTheUserHasNoZone() {
        JourneyVersions journeys = versions(with(pushOnce("a", 1), "quiet_hours",
                "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"skip\"}"));

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, at("2026-11-23T23:30:00Z"), null);

        assertEquals(List.of(), o.sends());
    }
}
