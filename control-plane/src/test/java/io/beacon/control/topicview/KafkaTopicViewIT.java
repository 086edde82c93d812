package io.beacon.control.topicview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The compacted-topic view on the real broker, with integer values (text on the wire) keyed by name. */
@ExtendWith(BeaconStackExtension.class)
class KafkaTopicViewIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final TopicCodec<String, Integer> INTS = TopicCodec.stringKeys(
            v -> Integer.toString(v).getBytes(StandardCharsets.UTF_8),
            (key, bytes) -> Integer.parseInt(new String(bytes, StandardCharsets.UTF_8)));
    /** Adds the records of a key; a zero changes nothing. */
    private static final TopicReducer<String, Integer, Integer> SUM = (key, held, value) ->
            value == 0 ? held : (held == null ? 0 : held) + value;

    private TestStack stack;
    private String topic;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp(TestStack stack) {
        this.stack = stack;
        this.topic = stack.uniqueName("view");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <S> KafkaTopicView<String, Integer, S> view(TopicReducer<String, Integer, S> reducer) {
        KafkaTopicView<String, Integer, S> view = new KafkaTopicView<>(
                TopicViewSettings.builder("test", stack.bootstrapServers(), topic).minCompactionLag(Duration.ofMinutes(1)).build(),
                INTS, reducer);
        open.add(view);
        return view;
    }

    private KafkaTopicView<String, Integer, Integer> started() {
        KafkaTopicView<String, Integer, Integer> view = view(TopicReducer.lastWins());
        view.start();
        view.awaitReady(DEADLINE);
        return view;
    }

    /** Writes raw records as another process would ({@code null}: a tombstone). */
    private void produce(String key, String value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8)))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Collects a view's updates as a listener; {@link #await} waits for the first {@code n}. */
    private static final class Recorder implements Consumer<TopicUpdate<String, Integer>> {
        private final List<TopicUpdate<String, Integer>> seen = new ArrayList<>();

        @Override
        public synchronized void accept(TopicUpdate<String, Integer> update) {
            seen.add(update);
            notifyAll();
        }

        synchronized List<TopicUpdate<String, Integer>> await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (seen.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " updates, saw " + seen);
                }
                wait(left);
            }
            return List.copyOf(seen);
        }
    }

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldCreateItsTopicCompactedWithOnePartition() throws Exception {
        started();

        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals(List.of(1, "compact", "60000"), List.of(description.partitions().size(),
                    config.get("cleanup.policy").value(), config.get("min.compaction.lag.ms").value()));
        }
    }

    @Test
    void shouldHoldTheWholeTopicWhenReady() throws Exception {
        // Given a topic another process wrote: creations, an update, a deletion
        try (KafkaTopicView<String, Integer, Integer> writer = started()) {
            for (int i = 0; i < 50; i++) {
                join(writer.send("k" + i, i));
            }
        }
        produce("k7", "700");
        produce("k8", null);

        // When a view starts on it
        KafkaTopicView<String, Integer, Integer> view = view(TopicReducer.lastWins());
        view.start();
        view.awaitReady(DEADLINE);

        // Then it holds the topic's current state as soon as it is ready
        assertTrue(view.isReady());
        assertEquals(49, view.asMap().size());
        assertEquals(Optional.of(700), view.get("k7"));
        assertEquals(Optional.empty(), view.get("k8"));
        assertEquals(Optional.of(49), view.get("k49"));
    }

    @Test
    void shouldSeeItsOwnWriteWhenTheWriteCompletes() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = started();

        TopicUpdate<String, Integer> created = join(view.write("a", 1));
        assertEquals(Optional.of(1), view.get("a"));
        TopicUpdate<String, Integer> updated = join(view.write("a", 2));
        assertEquals(Optional.of(2), view.get("a"));

        assertEquals(new TopicUpdate<>("a", Optional.empty(), Optional.of(1)), created);
        assertEquals(new TopicUpdate<>("a", Optional.of(1), Optional.of(2)), updated);
    }

    @Test
    void shouldTellTheWriterWhatItsRecordDidUnderTheReducer() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = view(SUM);
        view.start();
        view.awaitReady(DEADLINE);

        join(view.write("n", 5));
        TopicUpdate<String, Integer> added = join(view.write("n", 3));
        TopicUpdate<String, Integer> nothing = join(view.write("n", 0));

        assertEquals(Optional.of(8), added.current());
        assertEquals(Optional.of(5), added.previous());
        assertFalse(nothing.changed());
        assertEquals(Optional.of(8), view.get("n"));
    }

    @Test
    void shouldRemoveAKeyAtATombstoneAndTellListeners() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = started();
        join(view.write("gone", 1));
        Recorder seen = new Recorder();
        view.subscribe(seen, false);

        produce("gone", null);

        assertEquals(List.of(new TopicUpdate<>("gone", Optional.of(1), Optional.empty())), seen.await(1));
        assertEquals(Optional.empty(), view.get("gone"));
        TopicUpdate<String, Integer> again = join(view.write("gone", null));
        assertFalse(again.changed(), "a tombstone of an absent key changes nothing");
    }

    @Test
    void shouldFollowRecordsWrittenAfterItWasReady() throws Exception {
        KafkaTopicView<String, Integer, Integer> reader = started();
        KafkaTopicView<String, Integer, Integer> writer = started();
        Recorder seen = new Recorder();
        reader.subscribe(seen, false);

        join(writer.write("x", 1));
        join(writer.write("x", 2));
        produce("y", "3");

        assertEquals(List.of(
                new TopicUpdate<>("x", Optional.empty(), Optional.of(1)),
                new TopicUpdate<>("x", Optional.of(1), Optional.of(2)),
                new TopicUpdate<>("y", Optional.empty(), Optional.of(3))), seen.await(3));
        assertEquals(Map.of("x", 2, "y", 3), Map.copyOf(reader.asMap()));
    }

    @Test
    void shouldReplayTheCurrentStateToALateListenerOnce() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = started();
        join(view.write("a", 1));
        join(view.write("b", 2));
        Map<String, Integer> replayed = new HashMap<>();

        view.subscribe(u -> replayed.merge(u.key(), u.current().orElseThrow(), (x, y) -> -1), true);

        assertEquals(Map.of("a", 1, "b", 2), replayed);
    }

    @Test
    void shouldSkipAnUnreadableRecordAndKeepFollowing() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = started();
        join(view.write("k", 1));

        produce("k", "not a number");
        TopicUpdate<String, Integer> next = join(view.write("k", 2));

        assertEquals(Optional.of(1), next.previous(), "the unreadable record changed nothing");
        assertEquals(Optional.of(2), view.get("k"));
    }

    @Test
    void shouldApplyLocallyWithoutWriting() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = view(SUM);
        view.start();
        view.awaitReady(DEADLINE);

        view.applyLocally("local", 4);
        join(view.write("local", 1));

        assertEquals(Optional.of(5), view.get("local"));
        KafkaTopicView<String, Integer, Integer> fresh = view(SUM);
        fresh.start();
        fresh.awaitReady(DEADLINE);
        assertEquals(Optional.of(1), fresh.get("local"), "only the written record is on the topic");
    }

    @Test
    void shouldFailPendingAndLaterWritesOnceClosed() throws Exception {
        KafkaTopicView<String, Integer, Integer> view = started();
        view.close();

        CompletableFuture<TopicUpdate<String, Integer>> write = view.write("late", 1).toCompletableFuture();

        CompletionException e = assertThrows(CompletionException.class, write::join);
        assertInstanceOf(TopicViewUnavailableException.class, e.getCause());
        assertFalse(view.isReady());
    }

    @Test
    void shouldBeReadyAtOnceAndWriteNowhereWhenDetached() {
        KafkaTopicView<String, Integer, Integer> view = KafkaTopicView.detached("test", TopicReducer.lastWins());

        view.applyLocally("a", 1);

        assertTrue(view.isReady());
        assertEquals(Optional.of(1), view.get("a"));
        assertEquals(Optional.empty(), view.topic());
        CompletionException e = assertThrows(CompletionException.class, () -> view.write("a", 2).toCompletableFuture().join());
        assertInstanceOf(TopicViewUnavailableException.class, e.getCause());
    }

    @Test
    void shouldNotBecomeReadyWhenTheTopicCannotBeRead() {
        KafkaTopicView<String, Integer, Integer> view = new KafkaTopicView<>(
                TopicViewSettings.builder("test", stack.bootstrapServers(), "bad topic name!").startTimeout(Duration.ofSeconds(2)).build(),
                INTS, TopicReducer.lastWins());
        open.add(view);

        assertThrows(TopicViewUnavailableException.class, view::start);
        assertFalse(view.isReady());
    }
}
