package io.beacon.warehouse.sink;

import static io.beacon.warehouse.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.TopicNames;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.EventFixtures;
import io.beacon.warehouse.SinkSettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.widening.PromotedColumns;
import io.beacon.warehouse.widening.PromotedType;
import io.beacon.warehouse.widening.Promotion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Widening end to end: registry promotions (through the port) and the sink filling the columns. */
@ExtendWith(BeaconStackExtension.class)
class WideningSinkTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Promotion AMOUNT = new Promotion("shop", "amount", PromotedType.NUMBER);

    private TestStack stack;
    private WarehouseSettings settings;
    private TopicNames topics;
    private ClickHouse clickhouse;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void isolate(TestStack stack) {
        this.stack = stack;
        String name = stack.uniqueName("widen");
        settings = WarehouseSettings.fromConfig(ConfigFactory.load())
                .withBootstrapServers(stack.bootstrapServers())
                .withTopicPrefix(name + ".")
                .withClickHouse(ClickHouseSettings.of(stack.clickhouseHttpUrl(), name))
                .withSink(SinkSettings.defaults().withGroupId(name + "-sink").withBatchSize(50)
                        .withFlushInterval(Duration.ofMillis(100))
                        .withRetry(Duration.ofMillis(50), Duration.ofMillis(500), 0));
        topics = settings.topics();
        stack.createTopics(2, topics.valid(), topics.dlq());
        clickhouse = ClickHouse.connect(settings.clickhouse());
        new Migrations(clickhouse).apply();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        clickhouse.close();
    }

    @Test
    void shouldFillAPromotedNumericColumnSoThatAvgReturnsTheExactAverage() {
        // Given amount promoted before the sink starts
        PromotedColumns columns = columns();
        columns.promote(AMOUNT).join();
        TopicTableSink sink = sink(columns);
        sink.start();

        // When events with amounts (numbers, a numeric string, garbage, absent) pass through the sink
        produce(List.of(
                purchase("e1", Map.of("amount", 10)),
                purchase("e2", Map.of("amount", 20.5)),
                purchase("e3", Map.of("amount", "30")),
                purchase("e4", Map.of("amount", 39.5)),
                purchase("e5", Map.of("amount", "n/a")),
                purchase("e6", Map.of("coupon", "X"))));

        // Then the column holds the coerced values and avg() is exact
        assertEventually(DEADLINE, 6L, () -> clickhouse.queryLong("SELECT count() FROM events FINAL"), "rows");
        assertEquals("25", clickhouse.query("SELECT avg(p_amount) FROM events FINAL WHERE project_id = 'shop'").single());
        assertEquals("4", clickhouse.query("SELECT count(p_amount) FROM events FINAL WHERE project_id = 'shop'").single());
        assertEquals(0, sink.stats().insertFailures());
    }

    @Test
    void shouldFillAColumnPromotedWhileTheSinkRunsFromThenOn() {
        PromotedColumns columns = columns();
        TopicTableSink sink = sink(columns);
        sink.start();
        produce(List.of(purchase("before", Map.of("amount", 1))));
        assertEventually(DEADLINE, 1L, () -> clickhouse.queryLong("SELECT count() FROM events"), "first row");

        columns.promote(AMOUNT).join();
        produce(List.of(purchase("after", Map.of("amount", 2))));

        assertEventually(DEADLINE, 2L, () -> clickhouse.queryLong("SELECT count() FROM events"), "second row");
        assertEquals(List.of(List.of("after", "2"), java.util.Arrays.asList("before", null)),
                clickhouse.query("SELECT event_id, p_amount FROM events FINAL ORDER BY event_id").rows());
    }

    @Test
    void shouldNeverFailAnInsertWhilePromotionsArriveDuringWrites() {
        // Given a sink writing a steady stream of events with ten properties
        PromotedColumns columns = columns();
        TopicTableSink sink = sink(columns);
        sink.start();
        Thread writer = new Thread(() -> {
            for (int batch = 0; batch < 20; batch++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Map<String, Object> props = new java.util.HashMap<>();
                    for (int k = 0; k < 10; k++) {
                        props.put("k" + k, batch * 100 + i);
                    }
                    events.add(purchase("b" + batch + "-" + i, props));
                }
                produce(events);
            }
        });
        writer.start();

        // When the ten properties are promoted one by one meanwhile
        for (int k = 0; k < 10; k++) {
            columns.promote(new Promotion("shop", "k" + k, PromotedType.NUMBER)).join();
        }

        // Then every batch went in on the first attempt and the last events fill every column
        assertEventually(DEADLINE, 1_000L, () -> {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return clickhouse.queryLong("SELECT count() FROM events FINAL");
        }, "rows");
        assertEquals(0, sink.stats().insertFailures(), String.valueOf(sink.stats().lastError()));
        produce(List.of(purchase("last", Map.of("k0", 1, "k9", 9))));
        assertEventually(DEADLINE, "1\t9", () -> String.join("\t",
                clickhouse.query("SELECT p_k0, p_k9 FROM events FINAL WHERE event_id = 'last'").rows().stream()
                        .flatMap(List::stream).toList()), "last event's columns");
    }

    @Test
    void shouldKeepFillingThePromotedColumnAfterARestart() throws Exception {
        // Given a promotion made by a previous process
        PromotedColumns first = new PromotedColumns(clickhouse);
        first.promote(AMOUNT).join();
        first.close();

        // When a new process loads the promotions before its sink starts
        PromotedColumns columns = columns();
        assertEquals(List.of(AMOUNT), columns.load());
        TopicTableSink sink = sink(columns);
        sink.start();
        produce(List.of(purchase("r1", Map.of("amount", 4)), purchase("r2", Map.of("amount", 6))));

        // Then its rows fill the column
        assertEventually(DEADLINE, "5", () -> clickhouse.query(
                "SELECT avg(p_amount) FROM events FINAL WHERE project_id = 'shop'").single(), "average");
    }

    private PromotedColumns columns() {
        PromotedColumns columns = new PromotedColumns(clickhouse);
        opened.add(columns);
        return columns;
    }

    private TopicTableSink sink(PromotedColumns columns) {
        TopicTableSink sink = new TopicTableSink(settings, clickhouse, columns);
        opened.add(sink);
        return sink;
    }

    private static Event purchase(String id, Map<String, Object> properties) {
        return EventFixtures.withProperties("shop", id, properties);
    }

    private void produce(List<Event> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topics.valid(), event.partitionKey().getBytes(StandardCharsets.UTF_8),
                        EventCodec.encode(event)));
            }
            producer.flush();
        }
    }
}
