package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.DAY;
import static io.beacon.engine.journeys.JourneyFixtures.NO_CAPS;
import static io.beacon.engine.journeys.JourneyFixtures.T0;
import static io.beacon.engine.journeys.JourneyFixtures.UTC;
import static io.beacon.engine.journeys.JourneyFixtures.caps;
import static io.beacon.engine.journeys.JourneyFixtures.kinds;
import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.welcome;
import static io.beacon.engine.journeys.JourneyFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.runtime.JourneyStateReplay;
import io.beacon.engine.state.EngineSettings;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.event.JourneyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dry runs: one user's path with no further events, and forecasts replaying histories through a journey. */
class JourneySimulatorTest {
    private static final String QUIET_DELAY = "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"delay\"}";
    private static final SegmentDefinition BUYERS = new SegmentDefinition("shop", "buyers", "Buyers", null,
            new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2), 1, 0);
    /** Entered by signup: push, an hour later push again, end; quiet hours 22:00–08:00 skip the sends. */
    private static final String PROMO = JourneyFixtures.graph("promo", 1, "p1", """
            {"p1":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"one"},"next":"d"},
             "d":{"type":"delay","duration":"PT1H","next":"p2"},
             "p2":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"two"},"next":"done"},
             "done":{"type":"exit"}}""");
    /** Entered by segment buyers: email, wait up to 3 days for a review (goal), else a reminder; quiet hours delay. */
    private static final String THANKS = """
            {"id":"thanks","name":"Thanks","status":"draft","journey_version":1,
             "trigger":{"type":"segment_entered","segment_id":"buyers"},"entry":"mail",
             "steps":{
               "mail":{"type":"send","destination_id":"smtp","channel":"email","template":{"subject":"Thanks"},"next":"wait"},
               "wait":{"type":"wait_until","event":{"event":"review"},"max_wait":"P3D","next":"done","timeout_next":"remind"},
               "remind":{"type":"send","destination_id":"smtp","channel":"email","template":{"subject":"Review?"},"next":"done"},
               "done":{"type":"exit"}},
             "exit_criteria":[{"event":{"event":"unsubscribe"}}],
             "goal":{"event":{"event":"review"},"window":"P7D"},
             "quiet_hours":""" + QUIET_DELAY + "}";

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Event event(String person, String id, String name, String instant, Map<String, Object> traits) {
        long t = at(instant);
        return new Event(id, "shop", traits.isEmpty() ? EventType.TRACK : EventType.IDENTIFY, name, person, null, "s-" + person,
                t, t, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, Map.of(), traits, List.of(), person);
    }

    private static Event track(String person, String id, String name, String instant) {
        return event(person, id, name, instant, Map.of());
    }

    private static JourneySimulator.Forecast forecast(JourneyDefinition def, Map<String, List<Event>> history, String from, String to,
                                                      Map<String, Integer> caps, int samples) {
        return JourneySimulator.forecast(def, history, at(from), at(to), caps(caps), p -> new JourneyStateReplay("shop", p, List.of(BUYERS), EngineSettings.defaults()),
                samples);
    }

    @Test
    void shouldTakeTheWaitsTimeoutBranchWhenNoFurtherEventComes() {
        FakeUser ann = new FakeUser("u1").trait("name", "Ann");

        JourneySimulator.Path p = JourneySimulator.path(welcome(), ann, NO_CAPS, T0, UTC, null);

        assertEquals(List.of("entered", "step_entered:push1", "sent:push1", "step_entered:wait", "step_entered:nudge", "sent:nudge",
                "step_entered:done", "completed:done"), kinds(p.events()));
        assertEquals(List.of(T0, T0, T0, T0, T0 + 2 * DAY, T0 + 2 * DAY, T0 + 2 * DAY, T0 + 2 * DAY),
                p.events().stream().map(JourneyEvent::atMs).toList());
        assertEquals(List.of("journey/welcome/v1/u1/1/push1", "journey/welcome/v1/u1/1/nudge"),
                p.sends().stream().map(JourneySend::messageKey).toList());
        assertEquals("Hi Ann", p.sends().get(0).fields().get("title"));
        assertEquals("completed", p.ending());
        assertEquals(List.of(JourneySimulator.NO_FURTHER_EVENTS), p.assumptions());
    }

    @Test
    void shouldStopWaitingAtTheStepWhenTheHorizonEnds() {
        JourneySimulator.Path p = JourneySimulator.path(welcome(), new FakeUser("u1"), NO_CAPS, T0, UTC, Duration.ofDays(1));

        assertEquals(List.of("entered", "step_entered:push1", "sent:push1", "step_entered:wait"), kinds(p.events()));
        assertEquals("waiting at wait", p.ending());
    }

    @Test
    void shouldTakeTheBranchTheUsersTraitsChooseAndListTraitUpdatesWithoutApplyingThem() {
        // the branch right after entry: a pro user goes to the CRM send, then update_traits
        JourneyDefinition branchFirst = parse(JourneyFixtures.graph("upsell", 0, "big", """
                {"big":{"type":"branch","condition":{"trait":{"name":"plan","op":"eq","value":"pro"}},"then":"crm","else":"done"},
                 "crm":{"type":"send","destination_id":"hubspot","channel":"crm","template":{"stage":"pro"},"next":"mark"},
                 "mark":{"type":"update_traits","set":{"welcomed":true},"next":"done"},
                 "done":{"type":"exit"}}"""));
        FakeUser pro = new FakeUser("u7").trait("plan", "pro");

        JourneySimulator.Path p = JourneySimulator.path(branchFirst, pro, NO_CAPS, T0, UTC, null);

        assertEquals(List.of("entered", "step_entered:big", "step_entered:crm", "sent:crm", "step_entered:mark", "step_entered:done",
                "completed:done"), kinds(p.events()));
        assertEquals("true", p.traitUpdates().get("welcomed").toString());
        assertTrue(p.assumptions().contains(JourneySimulator.TRAITS_NOT_APPLIED));
    }

    @Test
    void shouldHoldTheSendUntilTheQuietHoursEndWhenTheUserEntersAtNight() {
        JourneyDefinition def = with(JourneyFixtures.WELCOME, "quiet_hours", QUIET_DELAY);
        long night = at("2026-11-23T23:00:00Z");

        JourneySimulator.Path p = JourneySimulator.path(def, new FakeUser("u1"), NO_CAPS, night, UTC, null);

        assertEquals(List.of(new JourneySimulator.Deferral(1, "push1", night, at("2026-11-24T08:00:00Z"))), p.deferrals());
        assertEquals(List.of(at("2026-11-24T08:00:00Z"), at("2026-11-26T08:00:00Z")),
                p.sends().stream().map(JourneySend::atMs).toList());
        assertEquals("completed", p.ending());
    }

    @Test
    void shouldEnterAnEventTriggerWithPropertiesMeetingItsFilters() {
        JourneyDefinition def = parse(JourneyFixtures.graph("big_order", 0, "p", """
                {"p":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"{{event.properties.total}}"},"next":"done"},
                 "done":{"type":"exit"}}""").replace("\"event\":\"signup\"}", "\"event\":\"purchase\",\"filters\":[{\"property\":\"total\",\"op\":\"gt\",\"value\":100}]}"));

        JourneySimulator.Path p = JourneySimulator.path(def, new FakeUser("u1"), NO_CAPS, T0, UTC, null);

        assertEquals("101.0", p.sends().get(0).fields().get("title"));
        assertEquals("completed", p.ending());
    }

    @Test
    void shouldCountCapHitsAndQuietHourSkipsAndIgnoreEntriesBeforeTheRange() {
        JourneyDefinition promo = with(PROMO, "quiet_hours", "{\"start\":\"22:00\",\"end\":\"08:00\",\"action\":\"skip\"}");
        Map<String, List<Event>> history = new LinkedHashMap<>();
        // u1: in range at 10:00 UTC — the first push is sent, the second (11:00, same day) hits the cap of 1
        history.put("u1", List.of(track("u1", "a1", "signup", "2026-11-23T10:00:00Z")));
        // u2 lives in New York (identified before the range): signs up at 23:00 local — both pushes fall in quiet hours
        history.put("u2", List.of(track("u2", "b2", "signup", "2026-11-24T04:00:00Z"),
                event("u2", "b1", "$identify", "2026-11-01T12:00:00Z", Map.of("timezone", "America/New_York"))));
        // u3 signed up before the range: the event only builds state
        history.put("u3", List.of(track("u3", "c1", "signup", "2026-11-20T10:00:00Z")));

        JourneySimulator.Forecast f = forecast(promo, history, "2026-11-22T00:00:00Z", "2026-11-30T23:59:59Z", Map.of("push", 1), 1);

        assertEquals(3, f.persons());
        assertEquals(4, f.historyEvents());
        assertEquals(2, f.personsEntered());
        assertEquals(2, f.entries());
        assertEquals(Map.of("push", 1L), f.sent());
        assertEquals(Map.of("push", 1L), f.capped());
        assertEquals(2, f.suppressed());
        assertEquals(0, f.deferred());
        assertEquals(2, f.completed());
        assertEquals(Map.of(), f.exited());
        assertEquals(1, f.samples().size());
        assertEquals("u1", f.samples().get(0).personId());
        assertEquals(List.of("entered", "step_entered:p1", "sent:p1", "step_entered:d", "step_entered:p2", "capped:p2",
                "step_entered:done", "completed:done"), kinds(f.samples().get(0).events()));
        assertEquals(at("2026-11-23T11:00:00Z"), f.samples().get(0).events().get(5).atMs());
    }

    @Test
    void shouldReplaySegmentEntriesThroughADraftWithGoalsExitsDeferralsAndRunsInFlight() {
        Map<String, List<Event>> history = new LinkedHashMap<>();
        // a: first purchase before the range builds state; the second, at 23:30, enters buyers: the mail waits for 08:00;
        // the review two days later converts and completes the run
        history.put("a", List.of(track("a", "a1", "purchase", "2026-11-21T12:00:00Z"), track("a", "a2", "purchase", "2026-11-23T23:30:00Z"),
                track("a", "a3", "review", "2026-11-25T10:00:00Z")));
        // b: enters at 13:00, unsubscribes the next morning
        history.put("b", List.of(track("b", "b1", "purchase", "2026-11-23T12:00:00Z"), track("b", "b2", "purchase", "2026-11-23T13:00:00Z"),
                track("b", "b3", "unsubscribe", "2026-11-24T09:00:00Z")));
        // c: one purchase, never a buyer
        history.put("c", List.of(track("c", "c1", "purchase", "2026-11-24T12:00:00Z")));
        // d: enters on the last day and is still waiting for a review when the range ends
        history.put("d", List.of(track("d", "d1", "purchase", "2026-11-30T10:00:00Z"), track("d", "d2", "purchase", "2026-11-30T11:00:00Z")));

        JourneySimulator.Forecast f = forecast(parse(THANKS), history, "2026-11-22T00:00:00Z", "2026-11-30T23:59:59Z", Map.of(), 5);

        assertEquals(3, f.personsEntered());
        assertEquals(3, f.entries());
        assertEquals(Map.of("email", 3L), f.sent());
        assertEquals(1, f.deferred());
        assertEquals(1, f.converted());
        assertEquals(1, f.completed());
        assertEquals(Map.of("exit_criteria", 1L), f.exited());
        assertEquals(Map.of("wait", 1L), f.inFlight());
        assertEquals(List.of("a", "b", "d"), f.samples().stream().map(JourneySimulator.Path::personId).toList());
        JourneySimulator.Path a = f.samples().get(0);
        assertEquals(List.of(new JourneySimulator.Deferral(1, "mail", at("2026-11-23T23:30:00Z"), at("2026-11-24T08:00:00Z"))), a.deferrals());
        assertEquals(at("2026-11-24T08:00:00Z"), a.sends().get(0).atMs());
        assertEquals("completed", a.ending());
        assertEquals("exited:exit_criteria", f.samples().get(1).ending());
        assertEquals("waiting at wait", f.samples().get(2).ending());
    }
}
