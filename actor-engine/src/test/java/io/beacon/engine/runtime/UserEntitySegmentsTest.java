package io.beacon.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.store.PartitionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UserEntity.GetSegments}, the light read A/B targeting uses, on a real RocksDB partition store with every
 * message serialized (CBOR) as if it crossed nodes.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserEntitySegmentsTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\npekko.actor.serialize-creators = off")).build();

    private static final String PROJECT = "p1";
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long HOUR = 3_600_000L;
    private static final SegmentDefinition BUYERS = new SegmentDefinition(PROJECT, "buyers", "Buyers", null,
            new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 1), 1, T0);
    private static final SegmentDefinition BROWSERS = new SegmentDefinition(PROJECT, "browsers", "Browsers", null,
            new Rule.EventCount("page", Window.D7, Cmp.GTE, 3), 1, T0);
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    Path dir;
    private PartitionStores stores;
    private String user;
    private int partition;
    private final AtomicReference<List<SegmentDefinition>> defined = new AtomicReference<>();

    @BeforeEach
    void openStore() {
        user = PROJECT + ":s" + IDS.incrementAndGet();
        partition = KafkaPartitioning.partition(user, 4);
        stores = EngineTestSupport.openStore(dir, partition);
        defined.set(List.of(BROWSERS, BUYERS));
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    private ActorRef<UserEntity.Command> spawn() {
        UserEntity.Deps deps = new UserEntity.Deps(stores, p -> p.equals(PROJECT) ? defined.get() : List.of(),
                EngineSettings.defaults(), Duration.ofMinutes(2));
        return testKit.spawn(UserEntity.create(user, partition, deps, null));
    }

    private UserEntity.Rec rec(String name, long timeMs, long offset) {
        return EngineTestSupport.rec(user, name, timeMs, offset);
    }

    private UserEntity.Result apply(ActorRef<UserEntity.Command> entity, List<UserEntity.Rec> recs) {
        TestProbe<UserEntity.Result> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.Apply(recs, T0, stores.epoch(partition), probe.getRef()));
        return probe.receiveMessage();
    }

    private UserEntity.Segments segments(ActorRef<UserEntity.Command> entity) {
        TestProbe<UserEntity.Segments> probe = testKit.createTestProbe();
        entity.tell(new UserEntity.GetSegments(probe.getRef()));
        return probe.receiveMessage();
    }

    @Test
    void shouldAnswerNotFoundWithNoSegmentsAndCreateNoStateForAnUnknownUser() {
        ActorRef<UserEntity.Command> entity = spawn();
        TestProbe<Object> watcher = testKit.createTestProbe();

        UserEntity.Segments s = segments(entity);

        assertEquals(UserEntity.Status.NOT_FOUND, s.status());
        assertEquals(Set.of(), s.ids());
        watcher.expectTerminated(entity); // passivated: nothing kept in memory
        assertTrue(stores.get(partition).orElseThrow().get(user).isEmpty(), "no state was stored");
    }

    @Test
    void shouldAnswerTheSegmentsTheAppliedEventsQualifyFor() {
        ActorRef<UserEntity.Command> entity = spawn();
        // one purchase (buyers: >= 1 in 7 d) and two pages (browsers needs 3)
        apply(entity, List.of(rec("page", T0 - HOUR, 1), rec("purchase", T0 - 2 * HOUR, 2), rec("page", T0 - 3 * HOUR, 3)));

        assertEquals(new UserEntity.Segments(UserEntity.Status.OK, Set.of("buyers")), segments(entity));

        apply(entity, List.of(rec("page", T0 - 10 * 60_000, 4)));
        assertEquals(Set.of("browsers", "buyers"), segments(entity).ids());
    }

    @Test
    void shouldAnswerFromTheCommittedStateAfterAReload() {
        ActorRef<UserEntity.Command> entity = spawn();
        UserEntity.Result r = apply(entity, List.of(rec("purchase", T0 - HOUR, 7)));
        PartitionStore store = stores.get(partition).orElseThrow();
        store.commitWrites(List.of(r.write()), 8, T0);
        TestProbe<Object> watcher = testKit.createTestProbe();
        entity.tell(new UserEntity.Passivate());
        watcher.expectTerminated(entity);

        assertEquals(new UserEntity.Segments(UserEntity.Status.OK, Set.of("buyers")), segments(spawn()));
    }

    @Test
    void shouldLeaveOutMembershipsOfSegmentsNoLongerDefined() {
        ActorRef<UserEntity.Command> entity = spawn();
        apply(entity, List.of(rec("purchase", T0 - HOUR, 1), rec("page", T0, 2), rec("page", T0, 3), rec("page", T0, 4)));
        assertEquals(Set.of("browsers", "buyers"), segments(entity).ids());

        defined.set(List.of(BROWSERS)); // "buyers" deleted; the user has had no event since

        assertEquals(Set.of("browsers"), segments(entity).ids());
    }

    @Test
    void shouldAnswerNotOwnedWithoutAnOpenStore() {
        stores.close(partition);

        UserEntity.Segments s = segments(spawn());

        assertEquals(UserEntity.Status.NOT_OWNED, s.status());
        assertEquals(Set.of(), s.ids());
    }
}
