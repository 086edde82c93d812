package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.TopicNames;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metadata governance end to end, through the HTTP API of a whole node on real Kafka and
 * ClickHouse: PII rules, strict mode and the dead-letter replay, promoted columns.
 */
@ExtendWith(BeaconStackExtension.class)
class GovernanceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static PlatformFixture fixture(TestStack stack, String base) {
        PlatformFixture fx = new PlatformFixture(stack, base, 0);
        fx.settings.put("beacon.bootstrap-project.secret-key", "sk_" + fx.name + "_test_secret_key");
        return fx;
    }

    @Test
    void shouldNeverLetRawPiiReachTheValidTopicOrClickHouse(TestStack stack) throws Exception {
        PlatformFixture fx = fixture(stack, "pii");
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(DEADLINE);
            ApiClient api = new ApiClient(node.httpUrl(), "sk_" + fx.name + "_test_secret_key");
            // Given properties classed hash, mask and drop
            assertEquals(201, api.post("/api/v1/metadata/properties", "{\"name\":\"email\",\"type\":\"string\",\"pii\":\"hash\"}").status());
            assertEquals(201, api.post("/api/v1/metadata/properties", "{\"name\":\"phone\",\"type\":\"string\",\"pii\":\"mask\"}").status());
            assertEquals(201, api.post("/api/v1/metadata/properties", "{\"name\":\"ssn\",\"type\":\"string\",\"pii\":\"drop\"}").status());

            // When events carrying raw values are collected
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                items.add("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u" + i + "\",\"messageId\":\"pii-" + i + "\","
                        + "\"properties\":{\"email\":\"person" + i + "@example.com\",\"phone\":\"+49-170-5550" + (100 + i) + "\","
                        + "\"ssn\":\"078-05-11" + (10 + i) + "\",\"plan\":\"pro\"}}");
            }
            load.sendUntilAccepted(SegmentLoad.batch(items), DEADLINE);

            // Then ClickHouse holds the events with transformed values only
            assertEquals(20, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM events FINAL WHERE event_name = 'Signed Up'"), 20, DEADLINE));
            assertEquals(0, ch.queryLong("SELECT count() FROM events WHERE arrayExists(v -> v LIKE '%@example.com%'"
                    + " OR v LIKE '%170-5550%' OR v LIKE '078-05%', properties.value)"));
            assertEquals(0, ch.queryLong("SELECT count() FROM events WHERE has(properties.key, 'ssn')"));
            assertEquals(20, ch.queryLong("SELECT count() FROM events WHERE length(properties.value[indexOf(properties.key, 'email')]) = 64"));
            assertEquals("***********0100", ch.query(
                    "SELECT properties.value[indexOf(properties.key, 'phone')] FROM events FINAL WHERE event_id = 'pii-0'").single());
            // and no record on the valid topic carries a raw value
            List<byte[]> valid = readAll(stack, TopicNames.withPrefix(fx.settings.get("beacon.kafka.topic-prefix")).valid(), 20);
            assertEquals(20, valid.size());
            for (byte[] v : valid) {
                String text = new String(v, StandardCharsets.UTF_8);
                assertFalse(text.contains("@example.com") || text.contains("170-5550") || text.contains("078-05-"), text);
            }
        }
    }

    @Test
    void shouldReplayDeadLettersOnceAfterTheDefinitionIsFixedAndFillThePromotedColumn(TestStack stack) throws Exception {
        PlatformFixture fx = fixture(stack, "gov");
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(DEADLINE);
            String project = fx.settings.get("beacon.bootstrap-project.id");
            ApiClient api = new ApiClient(node.httpUrl(), "sk_" + fx.name + "_test_secret_key");
            // Given a strict project
            ApiClient.Response p = api.get("/api/v1/projects/" + project);
            assertEquals(200, p.status(), p.text());
            ApiClient.Response strict = api.patch("/api/v1/projects/" + project,
                    "{\"mode\":\"strict\",\"version\":" + p.body().get("version").asLong() + "}");
            assertEquals(200, strict.status(), strict.text());

            // When a batch of an unregistered event arrives, it is dead-lettered with UNKNOWN_EVENT
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            List<String> items = new ArrayList<>();
            double sum = 0;
            for (int i = 0; i < 10; i++) {
                double amount = 10 + i * 2.5;
                sum += amount;
                items.add("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u" + i + "\",\"messageId\":\"order-" + i + "\","
                        + "\"properties\":{\"amount\":\"" + amount + "\"}}");
            }
            load.sendUntilAccepted(SegmentLoad.batch(items), DEADLINE);
            long letters = awaitDeadLetters(api, "UNKNOWN_EVENT", 10);
            assertEquals(10, letters);
            assertEquals(0, PlatformFixture.count(ch, "SELECT count() FROM events WHERE event_name = 'Order Completed'"));

            // and the definition is fixed: a promoted number property and the event listing it
            ApiClient.Response prop = api.post("/api/v1/metadata/properties",
                    "{\"name\":\"amount\",\"type\":\"number\",\"pii\":\"none\",\"promoted\":true}");
            assertEquals(201, prop.status(), prop.text());
            ApiClient.Response ev = api.post("/api/v1/metadata/events",
                    "{\"name\":\"Order Completed\",\"status\":\"live\",\"required_properties\":[\"amount\"]}");
            assertEquals(201, ev.status(), ev.text());
            assertEquals(1, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM system.columns WHERE database = '" + fx.database + "' AND table = 'events' AND name = 'p_amount'"),
                    1, DEADLINE), "promoted column added");

            // Then replaying the dead letters (twice) lands every event exactly once
            ApiClient.Response replay = api.post("/api/v1/dlq/replay", "{\"code\":\"UNKNOWN_EVENT\"}");
            assertEquals(200, replay.status(), replay.text());
            assertEquals(10, replay.body().get("replayed").asInt(), replay.text());
            assertEquals(10, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM events FINAL WHERE event_name = 'Order Completed'"), 10, DEADLINE));
            ApiClient.Response again = api.post("/api/v1/dlq/replay", "{\"code\":\"UNKNOWN_EVENT\"}");
            assertEquals(200, again.status(), again.text());
            // a marker sent after the second replay proves the pipeline has processed it
            load.sendUntilAccepted(SegmentLoad.batch(List.of("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"m\","
                    + "\"messageId\":\"marker-" + UUID.randomUUID() + "\",\"properties\":{\"amount\":1000}}")), DEADLINE);
            assertEquals(11, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM events FINAL WHERE event_name = 'Order Completed'"), 11, DEADLINE));
            assertEquals(11, ch.queryLong("SELECT count() FROM events WHERE event_name = 'Order Completed'"), "no duplicate row");

            // and the promoted column serves typed queries
            double avg = Double.parseDouble(ch.query(
                    "SELECT avg(p_amount) FROM events FINAL WHERE event_name = 'Order Completed' AND user_id != 'm'").single());
            assertEquals(sum / 10, avg, 1e-9);
        }
    }

    private static long awaitDeadLetters(ApiClient api, String code, long expected) {
        return PlatformFixture.awaitValue(() -> {
            ApiClient.Response r = api.get("/api/v1/dlq?code=" + code + "&limit=1000");
            return r.status() == 200 ? r.body().get("total").asLong() : -1;
        }, expected, DEADLINE);
    }

    private static List<byte[]> readAll(TestStack stack, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (out.size() < expected && System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        assertTrue(out.size() >= expected, "read " + out.size() + " records from " + topic);
        return out;
    }
}
