package io.beacon.warehouse.sink;

import static io.beacon.warehouse.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.RejectionCode;
import io.beacon.event.TopicNames;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.EventFixtures;
import io.beacon.warehouse.SinkSettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class TopicTableSinkTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;

    private TestStack stack;
    private WarehouseSettings settings;
    private TopicNames topics;
    private ClickHouse clickhouse;
    private final List<TopicTableSink> sinks = new ArrayList<>();

    @BeforeEach
    void isolate(TestStack stack) {
        this.stack = stack;
        String name = stack.uniqueName("wh");
        settings = WarehouseSettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopicPrefix(name + ".")
                .withClickHouse(ClickHouseSettings.of(stack.clickhouseHttpUrl(), name))
                .withSink(SinkSettings.defaults().withGroupId(name + "-sink")
                        .withRetry(Duration.ofMillis(50), Duration.ofMillis(500), 0));
        topics = settings.topics();
        stack.createTopics(PARTITIONS, topics.valid(), topics.dlq());
        clickhouse = ClickHouse.connect(settings.clickhouse());
    }

    @AfterEach
    void closeAll() {
        sinks.forEach(TopicTableSink::abort);
        clickhouse.close();
    }

    @Test
    void shouldWriteEveryProducedEventToClickHouseAndCommitOnClose() {
        new Migrations(clickhouse).apply();
        produce(events("e2e", 5_000));
        TopicTableSink sink = sink(settings);

        sink.start();

        assertEventually(DEADLINE, 5_000L, () -> clickhouse.queryLong("SELECT count() FROM events"), "rows in events");
        sink.close();
        assertFalse(sink.isRunning());
        assertEquals(5_000, sink.stats().rowsWritten());
        assertEquals(5_000, committedRecords(settings.sink().groupId()));
        assertEquals(5_000, clickhouse.queryLong("SELECT uniqExact(event_id) FROM events FINAL WHERE project_id = 'e2e'"));
    }

    @Test
    void shouldShowEveryEventExactlyOnceWithFinalAfterACrashAndReplay() {
        new Migrations(clickhouse).apply();
        produce(events("replay", 3_000));
        WarehouseSettings small = settings.withSink(settings.sink().withBatchSize(500));

        // Given a sink that crashes after its third insert, before committing that batch
        TopicTableSink crashing = sink(small);
        crashing.crashAfterInserts(3);
        crashing.start();
        assertEventually(DEADLINE, false, crashing::isRunning, "crashed sink running");
        long committedBeforeCrash = committedRecords(small.sink().groupId());
        assertTrue(committedBeforeCrash < crashing.stats().rowsWritten(),
                "the crash must leave inserted rows uncommitted: committed " + committedBeforeCrash
                        + ", inserted " + crashing.stats().rowsWritten());

        // When a new sink of the same group takes over
        TopicTableSink successor = sink(small);
        successor.start();
        assertEventually(DEADLINE, 3_000L, () -> committedRecords(small.sink().groupId()), "committed records");
        successor.close();

        // Then the replayed rows exist twice in the raw table but once in every deduplicated read
        long inserted = crashing.stats().rowsWritten() + successor.stats().rowsWritten();
        assertTrue(inserted > 3_000, "rows inserted in total: " + inserted);
        assertTrue(clickhouse.queryLong("SELECT count() FROM events") >= 3_000);
        assertEquals(3_000, clickhouse.queryLong("SELECT count() FROM events FINAL"));
        assertEquals(3_000, clickhouse.queryLong("SELECT count() FROM events_dedup"));
    }

    @Test
    void shouldSendAnUndecodableRecordToTheDeadLetterTopicAndStillStoreTheRest() {
        new Migrations(clickhouse).apply();
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.valid(), 0, "k".getBytes(StandardCharsets.UTF_8), garbage));
            Event good = EventFixtures.minimal("dlq", "good-1");
            producer.send(new ProducerRecord<>(topics.valid(), 0, good.partitionKey().getBytes(StandardCharsets.UTF_8),
                    EventCodec.encode(good)));
        }
        TopicTableSink sink = sink(settings);

        sink.start();

        DeadLetter letter = readOneDeadLetter();
        assertEquals(RejectionCode.MALFORMED_JSON, letter.code());
        assertEquals("sink", letter.stage());
        assertEquals(topics.valid(), letter.sourceTopic());
        assertEquals(0, letter.partition());
        assertEquals(0, letter.offset());
        assertArrayEquals(garbage, letter.original());
        assertEventually(DEADLINE, 1L, () -> clickhouse.queryLong("SELECT count() FROM events WHERE event_id = 'good-1'"),
                "the good event");
        assertEventually(DEADLINE, 2L, () -> committedRecords(settings.sink().groupId()), "committed records");
        assertEquals(1, sink.stats().deadLettered());
    }

    @Test
    void shouldDeadLetterAnUndecodableRecordInTheMiddleOfALargePollAndStoreEveryOtherInOrder() {
        // Large polls are encoded in two halves on two threads: a bad record deep in the second half
        // must still become a dead letter at its own offset, and nothing around it may be lost.
        new Migrations(clickhouse).apply();
        byte[] garbage = "{still not json".getBytes(StandardCharsets.UTF_8);
        List<Event> good = events("halves", 800);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < good.size(); i++) {
                if (i == 600) {
                    producer.send(new ProducerRecord<>(topics.valid(), 0, "k".getBytes(StandardCharsets.UTF_8), garbage));
                }
                producer.send(new ProducerRecord<>(topics.valid(), 0, good.get(i).partitionKey().getBytes(StandardCharsets.UTF_8),
                        EventCodec.encode(good.get(i))));
            }
            producer.flush();
        }
        TopicTableSink sink = sink(settings);

        sink.start();

        DeadLetter letter = readOneDeadLetter();
        assertEquals(RejectionCode.MALFORMED_JSON, letter.code());
        assertEquals(600, letter.offset());
        assertArrayEquals(garbage, letter.original());
        assertEventually(DEADLINE, 801L, () -> committedRecords(settings.sink().groupId()), "committed records");
        assertEquals(800, clickhouse.queryLong("SELECT uniqExact(event_id) FROM events FINAL WHERE project_id = 'halves'"));
        assertEquals(799L * 800 / 2, clickhouse.queryLong(
                "SELECT sum(toUInt64(properties.value[indexOf(properties.key, 'i')])) FROM events FINAL WHERE project_id = 'halves'"));
        assertEquals(1, sink.stats().deadLettered());
    }

    @Test
    void shouldRetryAFailedInsertUntilClickHouseAcceptsItWithoutSkippingRecords() {
        // Given no events table yet: every insert fails
        clickhouse.executeOutsideDatabase("CREATE DATABASE IF NOT EXISTS " + clickhouse.database());
        produce(events("retry", 200));
        TopicTableSink sink = sink(settings);
        sink.start();
        assertEventually(DEADLINE, true, () -> sink.stats().insertFailures() >= 2, "failed attempts seen");
        assertEquals(0, committedRecords(settings.sink().groupId()), "nothing may be committed while failing");

        // When the table appears
        new Migrations(clickhouse).apply();

        // Then the same batch goes in and is committed
        assertEventually(DEADLINE, 200L, () -> clickhouse.queryLong("SELECT count() FROM events FINAL"), "rows in events");
        assertEventually(DEADLINE, 200L, () -> committedRecords(settings.sink().groupId()), "committed records");
        assertTrue(sink.isRunning());
        assertEquals(0, sink.stats().consecutiveFailures());
    }

    @Test
    void shouldStopWithoutCommittingWhenTheAttemptsRunOut() {
        clickhouse.executeOutsideDatabase("CREATE DATABASE IF NOT EXISTS " + clickhouse.database());
        produce(events("give-up", 10));
        WarehouseSettings limited = settings.withSink(settings.sink().withRetry(Duration.ofMillis(10), Duration.ofMillis(20), 3));
        TopicTableSink sink = sink(limited);

        sink.start();

        assertEventually(DEADLINE, false, sink::isRunning, "sink running");
        assertEquals(3, sink.stats().insertFailures());
        assertEquals(0, committedRecords(limited.sink().groupId()));
        assertTrue(sink.stats().lastError().contains("events"), sink.stats().lastError());
    }

    private TopicTableSink sink(WarehouseSettings sinkSettings) {
        TopicTableSink sink = new TopicTableSink(sinkSettings, clickhouse);
        sinks.add(sink);
        return sink;
    }

    private static List<Event> events(String projectId, int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Event base = EventFixtures.minimal(projectId, projectId + "-" + i);
            events.add(new Event(base.eventId(), base.projectId(), base.type(), base.eventName(), "user-" + (i % 97),
                    base.anonymousId(), base.sessionId(), base.eventTime() + i, base.receivedAt() + i, null, null,
                    "web", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, Map.of("i", i, "label", "n" + i), null, null, null));
        }
        return events;
    }

    private void produce(List<Event> events) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topics.valid(), event.partitionKey().getBytes(StandardCharsets.UTF_8),
                        EventCodec.encode(event)));
            }
            producer.flush();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The sum of the group's committed offsets on the valid topic = records it has fully handled. */
    private long committedRecords(String groupId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.valid()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private DeadLetter readOneDeadLetter() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                partitions.add(new TopicPartition(topics.dlq(), i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            assertEquals(1, received.size(), "dead letters: " + received.stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.joining(", ")));
            return EventCodec.decodeDeadLetter(received.get(0).value());
        }
    }
}
