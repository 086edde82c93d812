package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.HOUR;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.entered;
import static io.beacon.engine.journeys.JourneyFixtures.event;
import static io.beacon.engine.journeys.JourneyFixtures.graph;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.versions;
import static io.beacon.engine.journeys.JourneyFixtures.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.beacon.event.JourneyEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first "Done when": segment entered → push → wait 2 days for a purchase → branch → CRM update. */
class WelcomeJourneyTest {
    private final JourneyVersions journeys = versions(welcome());
    private final FakeUser ada = new FakeUser("u1").trait("name", "Ada").trait("plan", "pro");

    private JourneyInterpreter.Outcome enter() {
        return JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("new_users", "e1"), journeys, NO_CAPS, ada, T0, UTC);
    }

    @Test
    void shouldSendThePushAndWaitWhenTheUserEntersTheSegment() {
        JourneyInterpreter.Outcome o = enter();

        assertEquals(1, o.sends().size());
        JourneySend push = o.sends().get(0);
        assertEquals("fcm", push.destinationId());
        assertEquals("push", push.channel());
        assertEquals(Map.of("title", "Hi Ada", "body", "Welcome push1"), push.fields());
        assertEquals("Hi {{traits.name}}", push.templates().get("title"));
        assertEquals("journey/welcome/v1/u1/1/push1", push.messageKey());
        assertEquals("e1", push.eventId());
        assertEquals(List.of("entered", "step_entered:push1", "sent:push1", "step_entered:wait"), kinds(o.events()));
        assertEquals(List.of(0L, 1L, 2L, 3L), o.events().stream().map(JourneyEvent::seq).toList());
        assertEquals("journey/welcome/v1/u1/1/push1", o.events().get(2).messageKey());
        JourneyRun run = o.journeys().run("welcome").orElseThrow();
        assertEquals("wait", run.stepId());
        assertEquals(T0 + 2 * DAY, run.wakeAtMs());
        assertEquals(T0 + 2 * DAY, o.nextWakeAtMs());
        assertEquals(4, run.seq());
    }

    @Test
    void shouldNotEnterOnAnotherSegment() {
        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("vip", "e1"), journeys, NO_CAPS,
                ada, T0, UTC);

        assertEquals(List.of(), o.events());
        assertTrue(o.journeys().runs().isEmpty());
        assertEquals(Long.MAX_VALUE, o.nextWakeAtMs());
    }

    @Test
    void shouldMoveToTheCrmUpdateWithinThePurchaseEventsOwnCall() {
        UserJourneys waiting = enter().journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":50}", "e2"), journeys,
                NO_CAPS, ada, T0 + 5 * HOUR, UTC);

        assertEquals(List.of("converted", "step_entered:big", "step_entered:crm", "sent:crm", "step_entered:mark",
                "step_entered:done", "completed:done"), kinds(o.events()));
        assertEquals(1, o.sends().size());
        assertEquals("hubspot", o.sends().get(0).destinationId());
        assertEquals(Map.of("stage", "customer 50"), o.sends().get(0).fields());
        assertEquals("journey/welcome/v1/u1/1/crm", o.sends().get(0).messageKey());
        assertEquals(Map.of("welcomed", BooleanNode.TRUE), o.traitUpdates());
        JourneyRun run = o.journeys().run("welcome").orElseThrow();
        assertEquals(JourneyRun.Status.COMPLETED, run.status());
        assertEquals(T0 + 5 * HOUR, run.endedAtMs());
        assertEquals(Long.MAX_VALUE, o.nextWakeAtMs());
    }

    @Test
    void shouldTakeTheElseBranchWhenTheBuyerIsNotPro() {
        FakeUser free = new FakeUser("u1").trait("name", "Bo").trait("plan", "free");
        UserJourneys waiting = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("new_users", "e1"), journeys, NO_CAPS,
                free, T0, UTC).journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":50}", "e2"), journeys,
                NO_CAPS, free, T0 + HOUR, UTC);

        assertEquals(List.of("converted", "step_entered:big", "step_entered:done", "completed:done"), kinds(o.events()));
        assertEquals(List.of(), o.sends());
    }

    @Test
    void shouldKeepWaitingWhenThePurchaseFailsTheFilterButStillCountTheGoal() {
        UserJourneys waiting = enter().journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":5}", "e2"), journeys,
                NO_CAPS, ada, T0 + HOUR, UTC);

        assertEquals(List.of("converted"), kinds(o.events()));
        assertNull(o.events().get(0).stepId());
        assertEquals("wait", o.journeys().run("welcome").orElseThrow().stepId());
        assertTrue(o.journeys().run("welcome").orElseThrow().converted());
        assertEquals(T0 + 2 * DAY, o.nextWakeAtMs());
    }

    @Test
    void shouldRecordTheGoalOncePerRun() {
        UserJourneys waiting = enter().journeys();
        UserJourneys once = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":5}", "e2"), journeys, NO_CAPS, ada,
                T0 + HOUR, UTC).journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(once, event("purchase", "{\"total\":50}", "e3"), journeys,
                NO_CAPS, ada, T0 + 2 * HOUR, UTC);

        assertEquals(List.of("step_entered:big", "step_entered:crm", "sent:crm", "step_entered:mark", "step_entered:done",
                "completed:done"), kinds(o.events()));
    }

    @Test
    void shouldTakeTheTimeoutBranchAfterTwoDaysOnTheTimer() {
        UserJourneys waiting = enter().journeys();

        JourneyInterpreter.Outcome early = JourneyInterpreter.onTimer(waiting, journeys, NO_CAPS, ada, T0 + 2 * DAY - 1, UTC);
        JourneyInterpreter.Outcome due = JourneyInterpreter.onTimer(waiting, journeys, NO_CAPS, ada, T0 + 2 * DAY, UTC);

        assertEquals(List.of(), early.events());
        assertEquals(waiting, early.journeys());
        assertEquals(List.of("step_entered:nudge", "sent:nudge", "step_entered:done", "completed:done"), kinds(due.events()));
        assertEquals("journey/welcome/v1/u1/1/nudge", due.sends().get(0).messageKey());
        assertNull(due.sends().get(0).eventId());
        assertNull(due.events().get(0).eventId());
        assertEquals(Long.MAX_VALUE, due.nextWakeAtMs());
    }

    @Test
    void shouldTakeTheTimeoutWhenAPurchaseArrivesAfterTheMaxWaitBeforeTheTimerFired() {
        UserJourneys waiting = enter().journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":50}", "e2"), journeys,
                NO_CAPS, ada, T0 + 2 * DAY + 1, UTC);

        assertEquals(List.of("converted", "step_entered:nudge", "sent:nudge", "step_entered:done", "completed:done"),
                kinds(o.events()));
    }

    @Test
    void shouldExitWithinTheEventsOwnCallWhenTheExitCriterionArrives() {
        UserJourneys waiting = enter().journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("unsubscribe", "e2"), journeys, NO_CAPS, ada,
                T0 + HOUR, UTC);

        assertEquals(List.of("exited:wait(exit_criteria)"), kinds(o.events()));
        JourneyRun run = o.journeys().run("welcome").orElseThrow();
        assertEquals(JourneyRun.Status.EXITED, run.status());
        assertEquals("exit_criteria", run.exitReason());
        assertEquals(Long.MAX_VALUE, o.nextWakeAtMs());
        assertEquals(List.of(), JourneyInterpreter.onTimer(o.journeys(), journeys, NO_CAPS, ada, T0 + 3 * DAY, UTC).events());
    }

    @Test
    void shouldExitOnPurchaseAtOnceNotWhenAThirtyDayDelayEnds() {
        JourneyVersions winBack = versions(parse(graph("winback", 0, "d",
                "{\"d\":{\"type\":\"delay\",\"duration\":\"P30D\",\"next\":\"p\"},"
                        + "\"p\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\",\"template\":{\"t\":\"x\"},\"next\":\"e\"},"
                        + "\"e\":{\"type\":\"exit\"}}").replace("}}}", "}},\"exit_criteria\":[{\"event\":{\"event\":\"purchase\"}}]}")));
        UserJourneys delayed = JourneyInterpreter.onEvent(UserJourneys.EMPTY, event("signup", "e1"), winBack, NO_CAPS, ada, T0, UTC)
                .journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(delayed, event("purchase", "e2"), winBack, NO_CAPS, ada,
                T0 + DAY, UTC);

        assertEquals(List.of("exited:d(exit_criteria)"), kinds(o.events()));
        assertEquals(T0 + DAY, o.journeys().run("winback").orElseThrow().endedAtMs());
        assertEquals(List.of(), JourneyInterpreter.onTimer(o.journeys(), winBack, NO_CAPS, ada, T0 + 30 * DAY, UTC).sends());
    }

    @Test
    void shouldApplyExitCriteriaBeforeAWaitForTheSameEventMoves() {
        JourneyVersions both = versions(JourneyFixtures.with(JourneyFixtures.WELCOME, "exit_criteria",
                "[{\"event\":{\"event\":\"purchase\"}}]"));
        UserJourneys waiting = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entered("new_users", "e1"), both, NO_CAPS, ada, T0,
                UTC).journeys();

        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(waiting, event("purchase", "{\"total\":50}", "e2"), both,
                NO_CAPS, ada, T0 + HOUR, UTC);

        assertEquals(List.of("converted", "exited:wait(exit_criteria)"), kinds(o.events()));
        assertEquals(List.of(), o.sends());
    }
}
