package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateCodec;
import io.beacon.engine.state.WindowSpec;
import io.beacon.engine.store.PartitionStore;
import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user entity's protocol on a real RocksDB partition store, with every message serialized (CBOR) as if it
 * crossed nodes ({@code serialize-messages = on}).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserEntityTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\npekko.actor.serialize-creators = off")).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "p1";
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long HOUR = 3_600_000L;
    private static final SegmentDefinition BUYERS = new SegmentDefinition(PROJECT, "buyers", "Repeat buyers", null,
            new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2), 1, T0);
    private static final SegmentDefinition ACTIVE = new SegmentDefinition(PROJECT, "active1h", "Active in the last hour", null,
            new Rule.LastSeenWithin(Duration.ofHours(1)), 1, T0);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    Path dir;
    private PartitionStores stores;
    private String user;
    private int partition;

    @BeforeEach
    void openStore() {
        user = PROJECT + ":u" + IDS.incrementAndGet();
        partition = KafkaPartitioning.partition(user, 4);
        stores = EngineTestSupport.openStore(dir, partition);
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    private UserEntity.Deps deps(Duration idle) {
        return new UserEntity.Deps(stores, p -> p.equals(PROJECT) ? List.of(ACTIVE, BUYERS) : List.of(),
                EngineSettings.defaults(), idle);
    }

    private ActorRef<UserEntity.Command> spawn(Duration idle) {
        return testKit.spawn(UserEntity.create(user, partition, deps(idle), null));
    }

    private UserEntity.Rec rec(String name, long timeMs, long offset) {
        return EngineTestSupport.rec(user, name, timeMs, offset);
    }

    private UserEntity.Result apply(ActorRef<UserEntity.Command> entity, long now, List<UserEntity.Rec> recs) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Apply(recs, now, stores.epoch(partition), probe.getRef()));
        return probe.receiveMessage();
    }

    private UserEntity.Profile profile(ActorRef<UserEntity.Command> entity, long now) {
        TestProbe<UserEntity.Profile> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.GetProfile(now, probe.getRef()));
        return probe.receiveMessage();
    }

    private void commit(UserEntity.Result r, long nextOffset) {
        PartitionStore store = stores.get(partition).orElseThrow();
        // as the runner does: the entity's bytes and index delta
        store.commitWrites(List.of(r.write()), nextOffset, T0);
    }

    private static List<SegmentChange> changes(UserEntity.Result r) {
        return r.changes().stream().map(SegmentChangeCodec::decode).toList();
    }

    private UserEntity.Result applyDeferring(ActorRef<UserEntity.Command> entity, long now, List<UserEntity.Rec> recs, boolean snapshot) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Apply(recs, now, stores.epoch(partition), snapshot, probe.getRef()));
        return probe.receiveMessage();
    }

    @Test
    void aSnapshotWaitsWhileEventsChangeNothingTheChangelogMustCarryAtOnce() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(5));
        // Given a user who entered "active in the last hour" (a change: the snapshot is never deferred)
        UserEntity.Result first = applyDeferring(entity, T0, List.of(rec("page", T0, 1)), false);
        assertTrue(first.changed());
        assertEquals(-1, first.deferredFrom());
        assertEquals(List.of("active1h"), changes(first).stream().map(SegmentChange::segmentId).toList());
        commit(first, 2);
        // When more page views change no membership and only move the exit timer later
        UserEntity.Result second = applyDeferring(entity, T0 + 60_000, List.of(rec("page", T0 + 60_000, 2)), false);
        UserEntity.Result third = applyDeferring(entity, T0 + 120_000, List.of(rec("page", T0 + 120_000, 3)), false);
        // Then both are deferred from the first unsnapshotted offset, with nothing to write
        assertFalse(second.changed());
        assertNull(second.state());
        assertEquals(2, second.deferredFrom());
        assertEquals(2, third.deferredFrom());
        // and the entity's memory has them while the store does not
        assertEquals(3, profileCount(entity, "page"));
        assertEquals(1, stores.get(partition).orElseThrow().get(user).orElseThrow().count("page", Window.ALL, T0));
        // A purchase that enters no segment yet is deferred too; the second one (entering "buyers") is not
        UserEntity.Result buy1 = applyDeferring(entity, T0 + 180_000, List.of(rec("purchase", T0 + 180_000, 4)), false);
        assertEquals(2, buy1.deferredFrom());
        UserEntity.Result buy2 = applyDeferring(entity, T0 + 240_000, List.of(rec("purchase", T0 + 240_000, 5)), false);
        assertTrue(buy2.changed());
        assertEquals(-1, buy2.deferredFrom());
        assertEquals(List.of("buyers"), changes(buy2).stream().map(SegmentChange::segmentId).toList());
        // its snapshot holds every event so far, and the index delta starts from what the store holds
        UserState snap = UserStateCodec.decode(buy2.state());
        assertEquals(3, snap.count("page", Window.ALL, T0 + HOUR));
        assertEquals(2, snap.count("purchase", Window.ALL, T0 + HOUR));
        assertEquals(java.util.Set.of("active1h"), buy2.segmentsBefore());
        assertEquals(first.nextTimerAtMs(), buy2.timerBefore());
        commit(buy2, 6);
        // A flush (snapshot asked for, no records) of a clean user writes nothing; of a dirty one, the snapshot
        assertEquals(-1, applyDeferring(entity, T0 + 300_000, List.of(), true).deferredFrom());
        assertFalse(applyDeferring(entity, T0 + 300_000, List.of(), true).changed());
        assertEquals(6, applyDeferring(entity, T0 + 360_000, List.of(rec("page", T0 + 360_000, 6)), false).deferredFrom());
        UserEntity.Result flushed = applyDeferring(entity, T0 + 420_000, List.of(), true);
        assertTrue(flushed.changed());
        assertEquals(-1, flushed.deferredFrom());
        assertEquals(4, UserStateCodec.decode(flushed.state()).count("page", Window.ALL, T0 + HOUR));
    }

    @Test
    void aDirtyEntityDoesNotPassivateAndAReloadDropsWhatNoSnapshotHeld() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(5));
        commit(applyDeferring(entity, T0, List.of(rec("page", T0, 1)), false), 2);
        assertEquals(2, applyDeferring(entity, T0 + 60_000, List.of(rec("page", T0 + 60_000, 2)), false).deferredFrom());
        // When asked to passivate while holding an unsnapshotted event, it stays (the event would be lost)
        entity.tell(new UserEntity.Passivate());
        assertEquals(2, profileCount(entity, "page"));
        // When the partition's epoch moves on (the consumer gave a batch up and re-reads from the committed offset),
        // the entity reloads the stored state and the re-read event counts once
        stores.invalidate(partition);
        assertEquals(1, profileCount(entity, "page"));
        UserEntity.Result replay = applyDeferring(entity, T0 + 60_000, List.of(rec("page", T0 + 60_000, 2)), false);
        assertEquals(2, replay.deferredFrom());
        assertEquals(2, profileCount(entity, "page"));
    }

    private long profileCount(ActorRef<UserEntity.Command> entity, String name) {
        UserEntity.Profile p = profile(entity, T0 + HOUR);
        try {
            return JSON.readTree(p.json()).path("events").path(name).path("all").asLong(-1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCountAppliedEventsAndEnterSegmentsTheyQualifyFor() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        long firstPurchase = T0 - 2 * 24 * HOUR;
        UserEntity.Result r = apply(entity, T0, List.of(
                rec("page", T0 - 30 * 60_000, 10), rec("purchase", firstPurchase, 11), rec("purchase", T0 - 10 * 60_000, 12)));

        assertEquals(UserEntity.Status.OK, r.status());
        assertTrue(r.changed());
        UserState state = UserStateCodec.decode(r.state());
        assertEquals(2, state.count("purchase", Window.ALL, T0));
        assertEquals(1, state.count("page", Window.H1, T0));
        assertEquals(12, state.appliedOffset());
        List<SegmentChange> changes = changes(r);
        assertEquals(2, changes.size(), changes.toString());
        assertTrue(changes.stream().allMatch(c -> c.kind() == SegmentChange.Kind.ENTERED && c.cause() == SegmentChange.Cause.EVENT));
        assertEquals(java.util.Set.of("active1h", "buyers"), changes.stream().map(SegmentChange::segmentId).collect(java.util.stream.Collectors.toSet()));
        // the next change without events: the "active in the last hour" exit, 1 h after the latest event
        long activeExit = T0 - 10 * 60_000 + HOUR;
        assertEquals(Math.min(activeExit, WindowSpec.expiresAt(Window.D7, firstPurchase)), r.nextTimerAtMs());
    }

    @Test
    void shouldIgnoreRecordsAtOffsetsAlreadyApplied() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        List<UserEntity.Rec> recs = List.of(rec("purchase", T0 - HOUR, 5), rec("purchase", T0 - HOUR, 6));
        assertTrue(apply(entity, T0, recs).changed());

        UserEntity.Result replay = apply(entity, T0, recs);

        assertEquals(UserEntity.Status.OK, replay.status());
        assertFalse(replay.changed());
        assertNull(replay.state());
        assertTrue(replay.changes().isEmpty());
        UserEntity.Profile p = profile(entity, T0);
        assertEquals(2, json(p).path("events").path("purchase").path("all").asLong());
    }

    @Test
    void shouldRefuseAnApplyOfAnEarlierEpoch() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        long epoch = stores.epoch(partition);
        stores.invalidate(partition);
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();

        entity.tell(new UserEntity.Apply(List.of(rec("page", T0, 1)), T0, epoch, probe.getRef()));

        assertEquals(UserEntity.Status.STALE, probe.receiveMessage().status());
        assertEquals(UserEntity.Status.NOT_FOUND, profile(entity, T0).status());
    }

    @Test
    void shouldExitATimeBasedSegmentOnTickWithoutNewEvents() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        UserEntity.Result entered = apply(entity, T0, List.of(rec("page", T0, 1)));
        assertEquals(T0 + HOUR, entered.nextTimerAtMs());
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();

        entity.tell(new UserEntity.Tick(T0 + HOUR - 1, stores.epoch(partition), probe.getRef()));
        assertTrue(changes(probe.receiveMessage()).isEmpty(), "still active a millisecond before the hour");
        entity.tell(new UserEntity.Tick(T0 + HOUR, stores.epoch(partition), probe.getRef()));
        UserEntity.Result exit = probe.receiveMessage();

        List<SegmentChange> changes = changes(exit);
        assertEquals(1, changes.size());
        assertEquals("active1h", changes.get(0).segmentId());
        assertEquals(SegmentChange.Kind.EXITED, changes.get(0).kind());
        assertEquals(SegmentChange.Cause.TIME, changes.get(0).cause());
        assertEquals(Long.MAX_VALUE, exit.nextTimerAtMs());
        assertTrue(exit.changed(), "a tick always commits, so the timer that fell due is replaced");
    }

    @Test
    void shouldAnswerTheProfileAndNotFoundForAnUnknownUser() throws Exception {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        assertEquals(UserEntity.Status.NOT_FOUND, profile(entity, T0).status());

        ActorRef<UserEntity.Command> again = spawn(Duration.ofMinutes(2));
        apply(again, T0, List.of(rec("purchase", T0 - HOUR, 1), rec("purchase", T0 - 2 * HOUR, 2)));
        UserEntity.Profile p = profile(again, T0);

        assertEquals(UserEntity.Status.OK, p.status());
        JsonNode body = json(p);
        assertEquals(user.substring(3), body.path("person_id").asText());
        assertEquals(2, body.path("events").path("purchase").path("24h").asLong());
        assertEquals(0, body.path("events").path("purchase").path("1h").asLong());
        assertEquals("Repeat buyers", findSegment(body, "buyers").path("name").asText());
    }

    @Test
    void shouldReloadCommittedStateAfterPassivation() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        UserEntity.Result r = apply(entity, T0, List.of(rec("signup", T0 - HOUR, 7)));
        commit(r, 8);
        TestProbe<Object> watcher = testKit.createTestProbe();

        entity.tell(new UserEntity.Passivate());
        watcher.expectTerminated(entity);

        ActorRef<UserEntity.Command> reloaded = spawn(Duration.ofMinutes(2));
        JsonNode body = json(profile(reloaded, T0));
        assertEquals(1, body.path("events").path("signup").path("all").asLong());
        assertFalse(apply(reloaded, T0, List.of(rec("signup", T0 - HOUR, 7))).changed(), "offset 7 is in the stored state");
    }

    @Test
    void shouldPassivateItselfAfterTheIdleTimeout() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMillis(300));
        commit(apply(entity, T0, List.of(rec("page", T0, 1))), 2);
        TestProbe<Object> watcher = testKit.createTestProbe();

        watcher.expectTerminated(entity, Duration.ofSeconds(10));

        assertEquals(1, json(profile(spawn(Duration.ofMinutes(2)), T0)).path("events").path("page").path("all").asLong());
    }

    @Test
    void shouldRestartWithTheStateOfAReopenedStore() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        commit(apply(entity, T0, List.of(rec("purchase", T0 - HOUR, 3))), 4);
        testKit.stop(entity);
        stores.close(); // the node stops
        stores = new PartitionStores(dir); // ...and starts again on the same directory
        stores.publish(partition, stores.openUnpublished(partition));

        ActorRef<UserEntity.Command> restarted = spawn(Duration.ofMinutes(2));
        UserEntity.Result r = apply(restarted, T0, List.of(rec("purchase", T0 - HOUR, 3), rec("purchase", T0 - 5 * 60_000, 4)));

        UserState state = UserStateCodec.decode(r.state());
        assertEquals(2, state.count("purchase", Window.ALL, T0), "offset 3 was not counted twice");
        assertTrue(state.memberships().containsKey("buyers"));
    }

    @Test
    void shouldDropUncommittedMemoryWhenThePartitionEpochMovesOn() {
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));
        commit(apply(entity, T0, List.of(rec("page", T0, 1))), 2);
        apply(entity, T0, List.of(rec("page", T0, 2))); // applied in memory, never committed

        stores.invalidate(partition); // the batch was given up

        assertEquals(1, json(profile(entity, T0)).path("events").path("page").path("all").asLong());
        assertTrue(apply(entity, T0, List.of(rec("page", T0, 2))).changed(), "the re-read record is applied again");
    }

    @Test
    void shouldAnswerNotOwnedWithoutAnOpenStore() {
        stores.close(partition);
        ActorRef<UserEntity.Command> entity = spawn(Duration.ofMinutes(2));

        assertEquals(UserEntity.Status.NOT_OWNED, apply(entity, T0, List.of(rec("page", T0, 1))).status());
        assertEquals(UserEntity.Status.NOT_OWNED, profile(entity, T0).status());
    }

    private static JsonNode json(UserEntity.Profile p) {
        try {
            return JSON.readTree(p.json());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode findSegment(JsonNode profile, String id) {
        for (JsonNode s : profile.path("segments")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no segment " + id + " in " + profile);
    }
}
