package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService.PublishedVersion;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.journeys.JourneyRun;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.engine.store.PartitionStore;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journeys run by the user entity on a real partition store, with every message serialized and the clock in the
 * test's hands (each Apply and Tick carries its {@code nowMs}): the journey (segment entered → push → wait up
 * to 2 days for a purchase → branch → CRM update), exit criteria within the event's own processing, the wait's timeout
 * by the durable timer, a replay that sends nothing twice, caps and priorities across two journeys, quiet hours in the
 * zone of the user's {@code timezone} trait, and a step mapping that moves only the runs it names.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class UserEntityJourneysTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\npekko.actor.serialize-creators = off")).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "p1";
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final SegmentDefinition NEW_USERS = new SegmentDefinition(PROJECT, "new_users", "New users", null,
            new Rule.EventCount("signup", Window.D7, Cmp.GTE, 1), 1, T0);
    static final String WELCOME = """
            {"id":"welcome","name":"Welcome","status":"live","journey_version":1,"priority":5,
             "trigger":{"type":"segment_entered","segment_id":"new_users"},
             "entry":"push1",
             "steps":{
               "push1":{"type":"send","destination_id":"fcm","channel":"push",
                        "template":{"title":"Hi {{traits.name}}"},"next":"wait"},
               "wait":{"type":"wait_until","event":{"event":"purchase"},"max_wait":"P2D","next":"big","timeout_next":"nudge"},
               "big":{"type":"branch","condition":{"trait":{"name":"plan","op":"eq","value":"pro"}},"then":"crm","else":"done"},
               "crm":{"type":"send","destination_id":"hubspot","channel":"crm","template":{"stage":"customer {{event.properties.total}}"},
                      "next":"mark"},
               "mark":{"type":"update_traits","set":{"welcomed":true},"next":"done"},
               "nudge":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Still thinking?"},"next":"done"},
               "done":{"type":"exit"}},
             "exit_criteria":[{"event":{"event":"unsubscribe"}}],
             "re_entry":{"policy":"once"}}""";

    @TempDir
    Path dir;
    private PartitionStores stores;
    private final String user = PROJECT + ":u1";
    private final int partition = KafkaPartitioning.partition(PROJECT + ":u1", 4);
    private final AtomicReference<ProjectJourneys> journeys = new AtomicReference<>();
    private long offset;

    @BeforeEach
    void openStore() {
        stores = EngineTestSupport.openStore(dir, partition);
        journeys.set(ProjectJourneys.of(PROJECT, List.of(parse(WELCOME)), List.of(), FrequencyCaps.none(PROJECT)));
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    static JourneyDefinition parse(String text) {
        try {
            return JourneyJson.parse(PROJECT, null, (ObjectNode) JSON.readTree(text), JourneyContext.unchecked());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ActorRef<UserEntity.Command> spawn() {
        UserEntity.Deps deps = new UserEntity.Deps(stores, p -> p.equals(PROJECT) ? List.of(NEW_USERS) : List.of(),
                EngineSettings.defaults(), Duration.ofMinutes(5), ScoringSource.NONE,
                io.beacon.engine.scoring.ScoringSettings.defaults(),
                p -> p.equals(PROJECT) ? journeys.get() : ProjectJourneys.none(p));
        return testKit.spawn(UserEntity.create(user, partition, deps, null));
    }

    /** Event {@code name} of u1 at {@code t}, with properties and traits, at the next offset. */
    private UserEntity.Rec rec(String name, long t, Map<String, Object> properties, Map<String, Object> traits) {
        long o = ++offset;
        Event e = new Event("e-" + o + "-" + name, PROJECT, EventType.TRACK, name, "u1", null, "s-u1", t, t,
                null, null, "web", null, null, null, null, null, null, null, null, null, null, null, null, null,
                "test", "1", null, null, properties, traits, List.of(), "u1");
        return new UserEntity.Rec(EventCodec.encode(e), o);
    }

    /** Applies and commits the result to the store, as the runner does. */
    private UserEntity.Result apply(ActorRef<UserEntity.Command> entity, long now, UserEntity.Rec... recs) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Apply(List.of(recs), now, stores.epoch(partition), probe.getRef()));
        return commit(probe.receiveMessage());
    }

    private UserEntity.Result tick(ActorRef<UserEntity.Command> entity, long now) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Tick(now, stores.epoch(partition), probe.getRef()));
        return commit(probe.receiveMessage());
    }

    private UserEntity.Result commit(UserEntity.Result r) {
        if (r.changed()) {
            PartitionStore store = stores.get(partition).orElseThrow();
            store.commitWrites(List.of(r.write()), offset + 1, T0);
        }
        return r;
    }

    private static List<String> kinds(UserEntity.Result r) {
        List<String> out = new ArrayList<>();
        for (String text : r.journeyEvents()) {
            JourneyEvent e = JourneyEventCodec.decode(text);
            out.add(e.journeyId() + ":" + e.kind().wireName() + (e.stepId() == null ? "" : ":" + e.stepId())
                    + (e.reason() == null ? "" : "(" + e.reason() + ")"));
        }
        return out;
    }

    private static List<OutboxMessage> sends(UserEntity.Result r) {
        return r.journeySends().stream().map(s -> CdpCodec.decodeMessage(s.getBytes(StandardCharsets.UTF_8))).toList();
    }

    private UserState stored() {
        return stores.get(partition).orElseThrow().get(user).orElseThrow();
    }

    @Test
    void shouldPushWaitForThePurchaseBranchAndUpdateTheCrmWithinThePurchaseEvent() {
        ActorRef<UserEntity.Command> entity = spawn();
        // When u1 (a pro) signs up, the segment is entered and the journey starts in the same result: the push is sent
        UserEntity.Result signup = apply(entity, T0, rec("signup", T0, Map.of(), Map.of("plan", "pro", "name", "Ada")));
        assertEquals(List.of("welcome:entered", "welcome:step_entered:push1", "welcome:sent:push1", "welcome:step_entered:wait"),
                kinds(signup));
        List<OutboxMessage> push = sends(signup);
        assertEquals(1, push.size());
        assertEquals("fcm", push.get(0).destinationId());
        assertEquals(MessageTypes.JOURNEY_SEND, push.get(0).type());
        assertEquals(IdempotencyKeys.of("journey", "fcm", PROJECT, "journey/welcome/v1/u1/1/push1"), push.get(0).messageId());
        assertEquals("Hi Ada", push.get(0).data().path("fields").path("title").asText());
        assertEquals(T0 + 2 * DAY, signup.nextTimerAtMs(), "the wait's timeout is the user's durable timer");

        // When the purchase comes a day later, the run moves on within that event: branch → CRM update → traits → done
        UserEntity.Result purchase = apply(entity, T0 + DAY, rec("purchase", T0 + DAY, Map.of("total", 42), Map.of()));
        assertEquals(List.of("welcome:step_entered:big", "welcome:step_entered:crm", "welcome:sent:crm",
                "welcome:step_entered:mark", "welcome:step_entered:done", "welcome:completed:done"), kinds(purchase));
        List<OutboxMessage> crm = sends(purchase);
        assertEquals(List.of("hubspot"), crm.stream().map(OutboxMessage::destinationId).toList());
        assertEquals("customer 42", crm.get(0).data().path("fields").path("stage").asText());
        UserState after = stored();
        assertEquals(JSON.valueToTree(true), after.traits().get("welcomed"), "the update_traits step set the trait");
        assertFalse(after.journeys().run("welcome").orElseThrow().active());
        assertTrue(purchase.nextTimerAtMs() > T0 + 2 * DAY, "no journey timer is left: " + purchase.nextTimerAtMs());
    }

    @Test
    void shouldExitOnTheExitEventItselfNotAtTheEndOfTheWait() {
        ActorRef<UserEntity.Command> entity = spawn();
        apply(entity, T0, rec("signup", T0, Map.of(), Map.of("plan", "free")));
        // When u1 unsubscribes an hour into the 2-day wait, the run exits in that event's result
        UserEntity.Result unsubscribe = apply(entity, T0 + HOUR, rec("unsubscribe", T0 + HOUR, Map.of(), Map.of()));
        assertEquals(List.of("welcome:exited:wait(exit_criteria)"), kinds(unsubscribe));
        assertEquals(List.of(), unsubscribe.journeySends());
        // and the timeout that was due in two days sends nothing
        UserEntity.Result timeout = tick(entity, T0 + 2 * DAY);
        assertEquals(List.of(), timeout.journeyEvents());
        assertEquals(List.of(), timeout.journeySends());
    }

    @Test
    void shouldTakeTheTimeoutBranchByTheDurableTimerAndSendNothingTwiceOnAReplayOrAfterAReload() {
        ActorRef<UserEntity.Command> entity = spawn();
        UserEntity.Rec signup = rec("signup", T0, Map.of(), Map.of("plan", "free"));
        apply(entity, T0, signup);
        // A tick before the timeout moves nothing
        assertEquals(List.of(), tick(entity, T0 + DAY).journeyEvents());
        // When the wait times out, the nudge is sent
        UserEntity.Result timeout = tick(entity, T0 + 2 * DAY);
        assertEquals(List.of("welcome:step_entered:nudge", "welcome:sent:nudge", "welcome:step_entered:done",
                "welcome:completed:done"), kinds(timeout));
        assertEquals(List.of(IdempotencyKeys.of("journey", "fcm", PROJECT, "journey/welcome/v1/u1/1/nudge")),
                sends(timeout).stream().map(OutboxMessage::messageId).toList());
        // When a new entity loads the stored state (a restart) and the signup is replayed, nothing is sent again,
        // and re-entry "once" keeps u1 out when the segment is entered again
        testKit.stop(entity);
        ActorRef<UserEntity.Command> reloaded = spawn();
        UserEntity.Result replay = apply(reloaded, T0 + 2 * DAY, signup);
        assertFalse(replay.changed());
        assertEquals(List.of(), replay.journeySends());
        assertEquals(List.of(), tick(reloaded, T0 + 3 * DAY).journeySends());
        JourneyRun run = stored().journeys().run("welcome").orElseThrow();
        assertEquals(1, run.entry());
    }

    @Test
    void shouldCapPushesAcrossTwoJourneysInPriorityOrderAndDeferASendPastQuietHoursInTheUsersZone() {
        String high = """
                {"id":"high","name":"High","status":"live","journey_version":1,"priority":9,
                 "trigger":{"type":"event","event":"signup"},"entry":"p",
                 "steps":{"p":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"high"},"next":"done"},
                          "done":{"type":"exit"}}}""";
        String low = high.replace("\"high\"", "\"low\"").replace("\"High\"", "\"Low\"").replace("\"priority\":9", "\"priority\":1");
        // quiet from 21:00 to 08:00 in the user's zone
        String quiet = high.replace("\"high\"", "\"quiet\"").replace("\"High\"", "\"Quiet\"").replace("\"priority\":9", "\"priority\":5")
                .replace("\"channel\":\"push\"", "\"channel\":\"email\"")
                .replace("\"entry\":\"p\"", "\"entry\":\"p\",\"quiet_hours\":{\"start\":\"21:00\",\"end\":\"08:00\",\"action\":\"delay\"}");
        journeys.set(ProjectJourneys.of(PROJECT, List.of(parse(low), parse(high), parse(quiet)), List.of(),
                new FrequencyCaps(PROJECT, Map.of("push", 1))));
        ActorRef<UserEntity.Command> entity = spawn();
        // T0 is 10:00 UTC, 00:00 in Honolulu: inside the quiet hours there, not in UTC
        UserEntity.Result r = apply(entity, T0, rec("signup", T0, Map.of(), Map.of("timezone", "Pacific/Honolulu")));
        List<String> k = kinds(r);
        assertTrue(k.contains("high:sent:p"), k.toString());
        assertTrue(k.contains("low:capped:p"), "the cap of 1 push a day went to the higher priority: " + k);
        assertEquals(List.of("fcm"), sends(r).stream().map(OutboxMessage::destinationId).toList());
        assertEquals(List.of("high"), sends(r).stream().map(m -> m.data().path("journey").path("id").asText()).toList());
        // the email waits for 08:00 in Honolulu (18:00 UTC), the user's timer
        long eightLocal = Instant.parse("2026-11-23T18:00:00Z").toEpochMilli();
        assertEquals(eightLocal, r.nextTimerAtMs());
        UserEntity.Result morning = tick(entity, eightLocal);
        assertEquals(List.of("quiet:sent:p"), kinds(morning).stream().filter(s -> s.contains("sent")).toList());
    }

    @Test
    void shouldMoveOnlyTheRunsAtAMappedStepPublishedAfterTheyGotThere() {
        ActorRef<UserEntity.Command> entity = spawn();
        apply(entity, T0, rec("signup", T0, Map.of(), Map.of("plan", "free")));
        // When v2 is published with a longer wait "wait2" and the mapping wait → wait2
        JourneyDefinition v1 = parse(WELCOME);
        JourneyDefinition v2 = parse(WELCOME.replace("\"journey_version\":1", "\"journey_version\":2")
                .replace("\"wait\":{", "\"wait2\":{").replace("\"next\":\"wait\"", "\"next\":\"wait2\"")
                .replace("\"max_wait\":\"P2D\"", "\"max_wait\":\"P5D\""));
        journeys.set(ProjectJourneys.of(PROJECT, List.of(v2), List.of(new PublishedVersion(v1, 0, Map.of()),
                new PublishedVersion(v2, 1, Map.of("wait", "wait2"), T0 + HOUR)), FrequencyCaps.none(PROJECT)));
        // the next timer of u1 moves the run to v2's wait2, which times out 5 days after the run got to its step
        UserEntity.Result moved = tick(entity, T0 + 2 * HOUR);
        assertEquals(List.of("welcome:moved:wait(v2:wait2)", "welcome:step_entered:wait2"), kinds(moved));
        assertEquals(T0 + 5 * DAY, moved.nextTimerAtMs());
        JourneyRun run = stored().journeys().run("welcome").orElseThrow();
        assertEquals(2, run.journeyVersion());
        assertEquals("wait2", run.stepId());
        assertEquals(List.of(), tick(entity, T0 + 2 * DAY).journeySends(), "v1's 2-day timeout no longer applies");
    }

    @Test
    void shouldLeaveARunAloneWhenTheMappingWasPublishedBeforeItReachedTheStep() {
        ActorRef<UserEntity.Command> entity = spawn();
        apply(entity, T0, rec("signup", T0, Map.of(), Map.of("plan", "free")));
        // a publication whose time is before the run reached "wait" (clocks of control plane and engine differ)
        JourneyDefinition v1 = parse(WELCOME);
        JourneyDefinition v2 = parse(WELCOME.replace("\"journey_version\":1", "\"journey_version\":2"));
        journeys.set(ProjectJourneys.of(PROJECT, List.of(v2), List.of(new PublishedVersion(v1, 0, Map.of()),
                new PublishedVersion(v2, 1, Map.of("wait", "wait"), T0 - HOUR)), FrequencyCaps.none(PROJECT)));
        assertEquals(List.of(), tick(entity, T0 + HOUR).journeyEvents());
        assertEquals(1, stored().journeys().run("welcome").orElseThrow().journeyVersion());
    }

    @Test
    void shouldKeepTheUsersJourneysInTheStoredState() {
        ActorRef<UserEntity.Command> entity = spawn();
        UserEntity.Result r = apply(entity, T0, rec("signup", T0, Map.of(), Map.of()));
        UserState decoded = UserStateCodec.decode(r.state());
        JourneyRun run = decoded.journeys().run("welcome").orElseThrow();
        assertEquals("wait", run.stepId());
        assertEquals(T0 + 2 * DAY, run.wakeAtMs());
    }
}
