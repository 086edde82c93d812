package io.beacon.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.ConfigTopic;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class KafkaConfigStoreIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    private TestStack stack;
    private String topic;
    private final List<KafkaConfigStore> stores = new ArrayList<>();

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        this.topic = ConfigTopic.withPrefix(stack.uniqueName("cfg") + ".");
    }

    @AfterEach
    void tearDown() {
        stores.forEach(KafkaConfigStore::close);
    }

    private KafkaConfigStore started() {
        KafkaConfigStore store = new KafkaConfigStore(ConfigStoreSettings.of(stack.bootstrapServers(), topic));
        stores.add(store);
        store.start();
        return store;
    }

    private static ObjectNode doc(String owner) {
        return JsonNodeFactory.instance.objectNode().put("owner", owner);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    @Test
    void shouldCreateTheTopicCompactedWithOnePartition() throws Exception {
        started();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            assertEquals(1, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    void shouldReadItsOwnWriteAsSoonAsPutReturns() {
        KafkaConfigStore store = started();
        assertTrue(store.isReady());
        ConfigKey key = ConfigKey.of("event", "p1", "Signed Up");

        ConfigEntry written = store.put(key, doc("growth"), 0);

        assertEquals(1, written.version());
        ConfigEntry read = store.get(key).orElseThrow();
        assertEquals(1, read.version());
        assertEquals("growth", read.document().get("owner").asText());
        assertEquals(1, read.document().get("version").asLong());
        assertEquals(2, store.put(key, doc("data"), 1).version());
        assertEquals("data", store.get(key).orElseThrow().document().get("owner").asText());
    }

    @Test
    void shouldRejectAStaleExpectedVersionWithoutWriting() {
        KafkaConfigStore store = started();
        ConfigKey key = ConfigKey.of("event", "p1", "Signed Up");
        store.put(key, doc("a"), 0);
        long end = endOffset();

        ConflictException e = assertThrows(ConflictException.class, () -> store.put(key, doc("b"), 0));

        assertEquals(1, e.currentVersion());
        assertEquals(end, endOffset());
    }

    @Test
    void shouldRebuildTheSameViewAfterARestartBeforeReportingReady() {
        // Given a store that created, updated and deleted documents
        KafkaConfigStore first = started();
        for (int i = 0; i < 20; i++) {
            first.put(ConfigKey.of("event", "p1", "e" + i), doc("o" + i), 0);
        }
        first.put(ConfigKey.of("event", "p1", "e3"), doc("changed"), 1);
        first.delete(ConfigKey.of("event", "p1", "e4"), 1);
        first.put(ConfigKey.of("property", "p2", "plan"), doc("x"), 0);
        List<ConfigEntry> before = new ArrayList<>(first.list("event"));
        before.addAll(first.list("property"));
        first.close();

        // When a new instance starts on the same topic
        KafkaConfigStore second = started();

        // Then it is ready with the identical view
        assertTrue(second.isReady());
        List<ConfigEntry> after = new ArrayList<>(second.list("event"));
        after.addAll(second.list("property"));
        assertEquals(before, after);
        assertEquals(19, second.list("event", "p1").size());
        assertTrue(second.get(ConfigKey.of("event", "p1", "e4")).isEmpty());
        assertEquals(2, second.get(ConfigKey.of("event", "p1", "e3")).orElseThrow().version());
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentWritersWin() {
        KafkaConfigStore a = started();
        KafkaConfigStore b = started();
        ConfigKey key = ConfigKey.of("event", "p1", "Contested");
        a.put(key, doc("base"), 0);
        await("b sees version 1", () -> b.get(key).map(ConfigEntry::version).orElse(0L) == 1);

        for (int round = 1; round <= 5; round++) {
            long base = a.get(key).orElseThrow().version();
            await("b sees version " + base, () -> b.get(key).map(ConfigEntry::version).orElse(0L) == base);
            // When both write on the same base version before either has seen the other's record
            CompletableFuture<ConfigEntry> fromA = a.putAsync(key, doc("a" + round), base).toCompletableFuture();
            CompletableFuture<ConfigEntry> fromB = b.putAsync(key, doc("b" + round), base).toCompletableFuture();

            // Then exactly one succeeds and the other gets a conflict
            List<ConfigEntry> won = new ArrayList<>();
            int conflicts = 0;
            for (CompletableFuture<ConfigEntry> f : List.of(fromA, fromB)) {
                try {
                    won.add(f.join());
                } catch (CompletionException e) {
                    assertInstanceOf(ConflictException.class, e.getCause());
                    conflicts++;
                }
            }
            assertEquals(1, won.size(), "round " + round);
            assertEquals(1, conflicts, "round " + round);
            // and both views agree on the winner
            ConfigEntry winner = won.get(0);
            assertEquals(base + 1, winner.version());
            await("both views hold the winner", () -> winner.equals(a.get(key).orElse(null)) && winner.equals(b.get(key).orElse(null)));
        }
    }

    @Test
    void shouldLeaveTheWinnerAsTheLastRecordOfAKeyAfterAConflict() {
        KafkaConfigStore a = started();
        KafkaConfigStore b = started();
        ConfigKey key = ConfigKey.of("event", "p1", "Raced");
        CompletableFuture<ConfigEntry> fromA = a.putAsync(key, doc("a"), 0).toCompletableFuture();
        CompletableFuture<ConfigEntry> fromB = b.putAsync(key, doc("b"), 0).toCompletableFuture();
        CompletableFuture.allOf(fromA, fromB).exceptionally(t -> null).join();
        ConfigEntry winner = fromA.isCompletedExceptionally() ? fromB.join() : fromA.join();
        assertTrue(fromA.isCompletedExceptionally() ^ fromB.isCompletedExceptionally());

        // compaction keeps the last record per key: it must state the winner (the loser repairs)
        await("the last record of the key is the winner", () -> {
            JsonNode last = lastValue(key);
            return last != null && last.equals(winner.document());
        });
        // both writes reached the topic (the conflict was decided on read, not by the pre-check), plus the repair
        assertTrue(records().stream().filter(r -> r.key().equals(key.asString())).count() >= 3);
    }

    @Test
    void shouldNotifyListenersOfEveryChangeInOrderInEveryProcess() {
        KafkaConfigStore writer = started();
        KafkaConfigStore reader = started();
        List<Change> local = new CopyOnWriteArrayList<>();
        List<Change> remote = new CopyOnWriteArrayList<>();
        writer.addListener("event", local::add);
        reader.addListener("event", remote::add);
        List<Change> ignoredKind = new CopyOnWriteArrayList<>();
        reader.addListener("property", ignoredKind::add);
        ConfigKey key = ConfigKey.of("event", "p1", "Listened");

        writer.put(key, doc("a"), 0);
        writer.put(key, doc("b"), 1);
        writer.delete(key, 2);

        List<Change.Type> expected = List.of(Change.Type.CREATED, Change.Type.UPDATED, Change.Type.DELETED);
        assertEquals(expected, local.stream().map(Change::type).toList());
        await("the other process saw 3 changes", () -> remote.size() == 3);
        assertEquals(expected, remote.stream().map(Change::type).toList());
        assertEquals("b", remote.get(1).current().orElseThrow().document().get("owner").asText());
        assertEquals(List.of(), ignoredKind);
    }

    @Test
    void shouldReplayCurrentDocumentsToALateListener() {
        KafkaConfigStore store = started();
        store.put(ConfigKey.of("event", "p1", "a"), doc("x"), 0);
        store.put(ConfigKey.of("event", "p1", "b"), doc("y"), 0);
        List<Change> seen = new CopyOnWriteArrayList<>();

        store.addListener("event", seen::add, true);

        assertEquals(List.of("a", "b"), seen.stream().map(c -> c.key().id()).sorted().toList());
    }

    @Test
    void shouldWriteADeleteAsMarkerThenTombstone() {
        KafkaConfigStore store = started();
        ConfigKey key = ConfigKey.of("event", "p1", "Gone");
        store.put(key, doc("a"), 0);

        assertThrows(ConflictException.class, () -> store.delete(key, 7));
        store.delete(key, 1);

        assertTrue(store.get(key).isEmpty());
        List<ConsumerRecord<String, byte[]>> records = records();
        ConsumerRecord<String, byte[]> last = records.get(records.size() - 1);
        assertEquals(key.asString(), last.key());
        assertEquals(null, last.value());
        assertEquals(1, store.put(key, doc("again"), 0).version(), "re-created after the tombstone at version 1");
    }

    // ---- raw topic access ----------------------------------------------------------------------

    private long endOffset() {
        try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    private JsonNode lastValue(ConfigKey key) {
        JsonNode last = null;
        for (ConsumerRecord<String, byte[]> r : records()) {
            if (r.key().equals(key.asString())) {
                last = r.value() == null ? null : ConfigJson.parse(r.value());
            }
        }
        return last;
    }

    private List<ConsumerRecord<String, byte[]>> records() {
        try (KafkaConsumer<String, byte[]> c = rawConsumer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }
}
