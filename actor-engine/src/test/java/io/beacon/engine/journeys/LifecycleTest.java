package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.HOUR;
import static io.beacon.engine.journeys.JourneyFixtures.NEW_YORK;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.graph;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static io.beacon.engine.journeys.JourneyFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyStatus;
import io.beacon.control.journeys.Step;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pause (hold or continue), archive, missing versions, delays until a local time, condition waits, splits. */
class LifecycleTest {
    /** signup → 1-day delay → push → exit. */
    private static final String DELAYED_PUSH = graph("drip", 0, "d", "{\"d\":{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"p\"},"
            + "\"p\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\",\"template\":{\"t\":\"x\"},\"next\":\"e\"},"
            + "\"e\":{\"type\":\"exit\"}}");

    private final FakeUser user = new FakeUser("u1");

    private UserJourneys delayed(JourneyDefinition def) {
        return JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), versions(def), NO_CAPS, user, T0, UTC)
                .journeys();
    }

    @Test
    void shouldHoldRunsOfAPausedJourneyAndResumeThemWhenItIsLiveAgain() {
        JourneyDefinition live = parse(DELAYED_PUSH);
        JourneyVersions paused = versions(live.withStatus(JourneyStatus.PAUSED));
        UserJourneys state = delayed(live);

        JourneyInterpreter.Outcome held = JourneyInterpreter.onTimer(state, paused, NO_CAPS, user, T0 + DAY, UTC);
        JourneyInterpreter.Outcome resumed = JourneyInterpreter.onTimer(held.journeys(), versions(live), NO_CAPS, user,
                T0 + DAY + HOUR, UTC);

        assertEquals(List.of(), held.events());
        assertEquals(T0 + DAY + JourneyInterpreter.HOLD_RECHECK.toMillis(), held.nextWakeAtMs());
        assertEquals(List.of("step_entered:p", "sent:p", "step_entered:e", "completed:e"), kinds(resumed.events()));
    }

    @Test
    void shouldLetRunsContinueButTakeNoEntriesWhenPausedWithContinue() {
        JourneyDefinition live = with(DELAYED_PUSH, "pause_behaviour", "\"continue\"");
        JourneyVersions paused = versions(live.withStatus(JourneyStatus.PAUSED));
        UserJourneys state = delayed(live);

        JourneyInterpreter.Outcome advanced = JourneyInterpreter.onTimer(state, paused, NO_CAPS, user, T0 + DAY, UTC);
        JourneyInterpreter.Outcome noEntry = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e9"), paused,
                NO_CAPS, new FakeUser("u2"), T0, UTC);

        assertEquals(1, advanced.sends().size());
        assertEquals(List.of(), noEntry.events());
    }

    @Test
    void shouldEndRunsWithReasonArchivedWhenTheJourneyIsArchived() {
        JourneyDefinition live = parse(DELAYED_PUSH);
        UserJourneys state = delayed(live);

        JourneyInterpreter.Outcome o = JourneyInterpreter.onTimer(state, versions(live.withStatus(JourneyStatus.ARCHIVED)),
                NO_CAPS, user, T0 + HOUR, UTC);

        assertEquals(List.of("exited:d(archived)"), kinds(o.events()));
        assertEquals("archived", o.journeys().run("drip").orElseThrow().exitReason());
        assertEquals(Long.MAX_VALUE, o.nextWakeAtMs());
    }

    @Test
    void shouldEndARunWithAnErrorWhenItsVersionIsNotGiven() {
        JourneyDefinition v1 = parse(DELAYED_PUSH);
        UserJourneys state = delayed(v1);

        JourneyInterpreter.Outcome o = JourneyInterpreter.onTimer(state, versions(v1.withJourneyVersion(2)), NO_CAPS, user,
                T0 + DAY, UTC);

        assertEquals(List.of("error:d(version 1 of journey 'drip' is not loaded)"), kinds(o.events()));
        assertEquals(JourneyRun.Status.EXITED, o.journeys().run("drip").orElseThrow().status());
        assertEquals("error", o.journeys().run("drip").orElseThrow().exitReason());
    }

    @Test
    void shouldStopARunThatLoopsWithoutWaitingAfterTheStepBudget() {
        // the validator refuses this cycle; the interpreter still guards against one
        JourneyDefinition valid = parse(graph("loop", 0, "a", "{\"a\":{\"type\":\"update_traits\",\"set\":{\"n\":1},\"next\":\"b\"},"
                + "\"b\":{\"type\":\"update_traits\",\"set\":{\"n\":2},\"next\":\"e\"},\"e\":{\"type\":\"exit\"}}"));
        Map<String, Step> steps = new LinkedHashMap<>(valid.steps());
        steps.put("b", new Step.UpdateTraits("b", Map.of(), "a"));
        JourneyDefinition cyclic = new JourneyDefinition(valid.projectId(), valid.id(), valid.name(), null, valid.status(), 1, 0,
                valid.trigger(), "a", steps, List.of(), null, valid.reEntry(), null, valid.pauseBehaviour(), 0, 0);

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), versions(cyclic),
                NO_CAPS, user, T0, UTC);

        JourneyRun run = o.journeys().run("loop").orElseThrow();
        assertEquals("error", run.exitReason());
        assertEquals("error", o.events().get(o.events().size() - 1).kind().wireName());
        assertEquals(JourneyInterpreter.STEP_BUDGET + 2L, o.events().size());
    }

    @Test
    void shouldDelayUntilTheNextLocalTimeOfDayInTheUsersZone() {
        JourneyVersions journeys = versions(parse(graph("morning", 0, "d",
                "{\"d\":{\"type\":\"delay\",\"until_local_time\":\"09:00\",\"next\":\"e\"},\"e\":{\"type\":\"exit\"}}")));
        long tenInNewYork = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS,
                user, tenInNewYork, NEW_YORK);

        assertEquals(Instant.parse("2026-11-24T14:00:00Z").toEpochMilli(), o.nextWakeAtMs());
    }

    @Test
    void shouldMoveAConditionWaitOnAnEventOnceTheConditionHolds() {
        JourneyVersions journeys = versions(parse(graph("risk", 0, "w",
                "{\"w\":{\"type\":\"wait_until\",\"condition\":{\"score\":{\"name\":\"churn_risk\",\"op\":\"gte\",\"value\":0.9}},"
                        + "\"max_wait\":\"P1D\",\"next\":\"hit\",\"timeout_next\":\"miss\"},"
                        + "\"hit\":{\"type\":\"exit\"},\"miss\":{\"type\":\"exit\"}}")));
        user.nextChangeAtMs = T0 + HOUR;
        UserJourneys waiting = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS, user, T0,
                UTC).journeys();
        user.score("churn_risk", 0.95);

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("page", "e2"), journeys, NO_CAPS, user,
                T0 + 60_000, UTC);

        assertEquals(T0 + HOUR, waiting.run("risk").orElseThrow().wakeAtMs());
        assertEquals(List.of("step_entered:hit", "completed:hit"), kinds(o.events()));
    }

    @Test
    void shouldExitOnAConditionCriterionAtATimer() {
        JourneyDefinition def = with(DELAYED_PUSH, "exit_criteria",
                "[{\"condition\":{\"score\":{\"name\":\"churn_risk\",\"op\":\"gte\",\"value\":0.9}}}]");
        user.nextChangeAtMs = T0 + HOUR;
        UserJourneys state = delayed(def);
        user.score("churn_risk", 0.95);

        JourneyInterpreter.Outcome o = JourneyInterpreter.onTimer(state, versions(def), NO_CAPS, user, T0 + HOUR, UTC);

        assertEquals(T0 + HOUR, state.run("drip").orElseThrow().wakeAtMs());
        assertEquals(List.of("exited:d(exit_criteria)"), kinds(o.events()));
    }

    @Test
    void shouldSplitEachUserTheSameWayEveryTimeAndAboutByThePercents() {
        JourneyVersions journeys = versions(parse(graph("ab", 0, "s",
                "{\"s\":{\"type\":\"random_split\",\"branches\":[{\"percent\":30,\"next\":\"x\"},{\"percent\":70,\"next\":\"y\"}]},"
                        + "\"x\":{\"type\":\"exit\"},\"y\":{\"type\":\"exit\"}}")));
        int toX = 0;
        for (int i = 0; i < 2000; i++) {
            FakeUser u = new FakeUser("user-" + i);
            String first = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), journeys, NO_CAPS, u, T0, UTC)
                    .journeys().run("ab").orElseThrow().stepId();
            String second = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e2"), journeys, NO_CAPS, u, T0 + DAY, UTC)
                    .journeys().run("ab").orElseThrow().stepId();
            assertEquals(first, second);
            assertEquals(SplitBucket.of("ab", u.personId()) < 30 ? "x" : "y", first);
            toX += first.equals("x") ? 1 : 0;
        }
        assertTrue(toX > 520 && toX < 680, "30 % of 2000 users, was " + toX);
    }
}
