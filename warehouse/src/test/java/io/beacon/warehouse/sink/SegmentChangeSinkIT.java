package io.beacon.warehouse.sink;

import static io.beacon.warehouse.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.SinkSettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code beacon.segment.changes} → {@code segment_changes} on the real broker and ClickHouse 18.16. */
@ExtendWith(BeaconStackExtension.class)
class SegmentChangeSinkIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long T0 = 1_795_774_643_456L;

    private TestStack stack;
    private WarehouseSettings settings;
    private ClickHouse clickhouse;
    private String topic;
    private final List<SegmentChangeSink> sinks = new ArrayList<>();

    @BeforeEach
    void isolate(TestStack stack) {
        this.stack = stack;
        String name = stack.uniqueName("segch");
        settings = WarehouseSettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopicPrefix(name + ".")
                .withClickHouse(ClickHouseSettings.of(stack.clickhouseHttpUrl(), name))
                .withSink(SinkSettings.defaults().withGroupId(name + "-sink").withBatchSize(100)
                        .withRetry(Duration.ofMillis(50), Duration.ofMillis(500), 0));
        topic = settings.topics().segmentChanges();
        stack.createTopics(2, topic, settings.topics().dlq());
        clickhouse = ClickHouse.connect(settings.clickhouse());
        new Migrations(clickhouse).apply();
    }

    @AfterEach
    void closeAll() {
        sinks.forEach(SegmentChangeSink::abort);
        clickhouse.close();
    }

    /** One change in the engine's JSON format; every third is a time-caused exit. */
    private static String change(int i) {
        boolean exit = i % 3 == 2;
        long at = T0 + i * 1_000L;
        return "{\"project_id\":\"shop\",\"person_id\":\"u" + (i % 50) + "\",\"segment_id\":\"seg" + (i % 4) + "\","
                + "\"segment_version\":" + (1 + i % 2) + ",\"change\":\"" + (exit ? "exited" : "entered") + "\","
                + "\"at\":\"" + Instant.ofEpochMilli(at) + "\",\"at_ms\":" + at + ",\"cause\":\"" + (exit ? "time" : "event") + "\","
                + "\"event_id\":" + (exit ? "null" : "\"ev" + i + "\"") + "}";
    }

    @Test
    void shouldStoreEveryChangeOnceInFinalReadsEvenAfterACrashAndReplay() {
        int n = 600;
        Map<String, Long> expectedNet = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, ("shop:u" + (i % 50)).getBytes(StandardCharsets.UTF_8),
                        change(i).getBytes(StandardCharsets.UTF_8)));
                expectedNet.merge("seg" + (i % 4), i % 3 == 2 ? -1L : 1L, Long::sum);
            }
            producer.send(new ProducerRecord<>(topic, "shop:bad".getBytes(StandardCharsets.UTF_8), "{\"change\":\"maybe\"}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        // Given a sink that crashes after its second insert, before committing it
        SegmentChangeSink crashing = new SegmentChangeSink(settings, clickhouse);
        sinks.add(crashing);
        crashing.crashAfterInserts(2);
        crashing.start();
        assertEventually(DEADLINE, false, crashing::isRunning, "crashed sink running");

        // When a successor of the same group takes over
        SegmentChangeSink successor = new SegmentChangeSink(settings, clickhouse);
        sinks.add(successor);
        successor.start();
        assertEventually(DEADLINE, (long) n + 1, () -> committedRecords(settings.sink().groupId() + "-segment-changes"), "committed records");
        successor.close();

        // Then replayed rows are in the raw table twice but once with FINAL, and every value is as produced
        long inserted = crashing.stats().rowsWritten() + successor.stats().rowsWritten();
        assertTrue(inserted > n, "a replay must have happened: inserted " + inserted);
        assertTrue(clickhouse.queryLong("SELECT count() FROM segment_changes") >= n, "raw copies (background merges may already have collapsed some)");
        assertEquals(n, clickhouse.queryLong("SELECT count() FROM segment_changes FINAL"));
        assertTrue(successor.stats().deadLettered() + crashing.stats().deadLettered() >= 1, "the malformed value went to the DLQ");
        for (Map.Entry<String, Long> e : expectedNet.entrySet()) {
            assertEquals(e.getValue(), clickhouse.queryLong("SELECT sum(change) FROM segment_changes FINAL WHERE segment_id = '" + e.getKey() + "'"),
                    "net members of " + e.getKey());
        }
        assertEquals(n / 3, clickhouse.queryLong("SELECT count() FROM segment_changes FINAL WHERE cause = 'time' AND event_id = '' AND change = -1"));
        assertEquals(T0 + 7_000, clickhouse.queryLong("SELECT at_ms FROM segment_changes FINAL WHERE event_id = 'ev7'"));
        assertEquals((T0 + 7_000) / 1000, clickhouse.queryLong("SELECT toUInt64(at) FROM segment_changes FINAL WHERE event_id = 'ev7'"));
        assertEquals(2, clickhouse.queryLong("SELECT segment_version FROM segment_changes FINAL WHERE event_id = 'ev7'"));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private long committedRecords(String groupId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
