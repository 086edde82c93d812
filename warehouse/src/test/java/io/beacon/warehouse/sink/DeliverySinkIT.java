package io.beacon.warehouse.sink;

import static io.beacon.warehouse.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.DeliveryAttempt.Outcome;
import io.beacon.warehouse.ClickHouseSettings;
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
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
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

/** {@code beacon.cdp.deliveries} → {@code deliveries} on the real broker and ClickHouse (18.16, and 26.x under chdb). */
@ExtendWith(BeaconStackExtension.class)
class DeliverySinkIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long T0 = 1_795_774_643_456L;

    private TestStack stack;
    private WarehouseSettings settings;
    private ClickHouse clickhouse;
    private String topic;
    private final List<DeliverySink> sinks = new ArrayList<>();

    @BeforeEach
    void isolate(TestStack stack) {
        this.stack = stack;
        String name = stack.uniqueName("deliv");
        settings = WarehouseSettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopicPrefix(name + ".")
                .withClickHouse(ClickHouseSettings.of(stack.clickhouseHttpUrl(), name))
                .withSink(SinkSettings.defaults().withGroupId(name + "-sink").withBatchSize(100)
                        .withRetry(Duration.ofMillis(50), Duration.ofMillis(500), 0));
        topic = settings.topics().cdpDeliveries();
        stack.createTopics(2, topic, settings.topics().dlq());
        clickhouse = ClickHouse.connect(settings.clickhouse());
        new Migrations(clickhouse).apply();
    }

    @AfterEach
    void closeAll() {
        sinks.forEach(DeliverySink::abort);
        clickhouse.close();
    }

    /** Attempt {@code i}: messages of 3 attempts (retry, throttled, delivered) over 4 destinations; every 10th message dead-lettered at its third. */
    private static DeliveryAttempt attempt(int i) {
        int message = i / 3;
        int number = i % 3 + 1;
        boolean dead = message % 10 == 9;
        Outcome outcome = number == 1 ? Outcome.RETRY : number == 2 ? Outcome.THROTTLED : dead ? Outcome.DEAD_LETTERED : Outcome.DELIVERED;
        int status = switch (outcome) {
            case RETRY -> 0;
            case THROTTLED -> 429;
            case DELIVERED -> 200;
            case DEAD_LETTERED -> 400;
        };
        return new DeliveryAttempt("shop", "dst" + (message % 4), "u" + (message % 50), "msg_" + message, "segment.entered", number,
                T0 + i * 1_000L, status, outcome, 10L * number, outcome == Outcome.DELIVERED ? null : "failed with " + status,
                outcome == Outcome.DELIVERED ? "{\"ok\":true}" : "");
    }

    @Test
    void shouldStoreEveryAttemptOnceInFinalReadsEvenAfterACrashAndReplay() {
        int n = 600;
        Map<String, Long> expectedPerDestination = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < n; i++) {
                DeliveryAttempt a = attempt(i);
                producer.send(new ProducerRecord<>(topic, (a.projectId() + ":" + a.destinationId() + ":" + a.personId()).getBytes(StandardCharsets.UTF_8),
                        CdpCodec.encode(a)));
                expectedPerDestination.merge(a.destinationId(), 1L, Long::sum);
            }
            producer.send(new ProducerRecord<>(topic, "shop:dst0:bad".getBytes(StandardCharsets.UTF_8), "{\"outcome\":\"maybe\"}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        // Given a sink that crashes after its second insert, before committing it
        DeliverySink crashing = new DeliverySink(settings, clickhouse);
        sinks.add(crashing);
        crashing.crashAfterInserts(2);
        crashing.start();
        assertEventually(DEADLINE, false, crashing::isRunning, "crashed sink running");

        // When a successor of the same group takes over
        DeliverySink successor = new DeliverySink(settings, clickhouse);
        sinks.add(successor);
        successor.start();
        assertEventually(DEADLINE, (long) n + 1, () -> committedRecords(settings.sink().groupId() + "-deliveries"), "committed records");
        successor.close();

        // Then replayed rows are in the raw table twice but once with FINAL, and every value is as produced
        long inserted = crashing.stats().rowsWritten() + successor.stats().rowsWritten();
        assertTrue(inserted > n, "a replay must have happened: inserted " + inserted);
        assertTrue(clickhouse.queryLong("SELECT count() FROM deliveries") >= n, "raw copies (background merges may already have collapsed some)");
        assertEquals(n, clickhouse.queryLong("SELECT count() FROM deliveries FINAL"));
        assertTrue(successor.stats().deadLettered() + crashing.stats().deadLettered() >= 1, "the malformed value went to the DLQ");
        for (Map.Entry<String, Long> e : expectedPerDestination.entrySet()) {
            assertEquals(e.getValue(), clickhouse.queryLong("SELECT count() FROM deliveries FINAL WHERE destination_id = '" + e.getKey() + "'"),
                    "attempts of " + e.getKey());
        }
        assertEquals(20, clickhouse.queryLong("SELECT count() FROM deliveries FINAL WHERE outcome = 'dead_lettered' AND status = 400"));
        assertEquals(180, clickhouse.queryLong("SELECT count() FROM deliveries FINAL WHERE outcome = 'delivered' AND error = ''"));
        assertEquals(200, clickhouse.queryLong("SELECT count() FROM deliveries FINAL WHERE outcome = 'throttled' AND attempt = 2"));
        // attempt 22 = message 7's second attempt
        assertEquals(T0 + 22_000, clickhouse.queryLong("SELECT at_ms FROM deliveries FINAL WHERE message_id = 'msg_7' AND attempt = 2"));
        assertEquals((T0 + 22_000) / 1000, clickhouse.queryLong("SELECT toUInt64(at) FROM deliveries FINAL WHERE message_id = 'msg_7' AND attempt = 2"));
        assertEquals(429, clickhouse.queryLong("SELECT status FROM deliveries FINAL WHERE message_id = 'msg_7' AND attempt = 2"));
        assertEquals(30, clickhouse.queryLong("SELECT latency_ms FROM deliveries FINAL WHERE message_id = 'msg_7' AND attempt = 3"));
        assertEquals("u7\tdst3\tsegment.entered\t{\"ok\":true}", clickhouse.queryText(
                "SELECT person_id, destination_id, type, response_body FROM deliveries FINAL WHERE message_id = 'msg_7' AND attempt = 3 FORMAT TSV").trim());
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
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
