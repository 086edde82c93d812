package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SDK → gateway → Kafka → Streams → ClickHouse on the real broker and server, in one process. */
@ExtendWith(BeaconStackExtension.class)
class EndToEndIT {

    @Test
    void shouldStoreExactlyTenThousandEventsWhenIdsAndWholeBatchesAreResent(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "e2e", 0);
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(60))), "node ready");
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);

            // Given 10,000 distinct events in batches of 100
            List<List<String>> batches = SegmentLoad.batches("m", 10_000, 100);
            // and 500 re-sent message ids (from earlier batches) mixed into later batches
            for (int i = 0; i < 500; i++) {
                int original = i * 19 % 10_000;
                batches.get(50 + i % 50).add(SegmentLoad.trackItem("m-" + original, original));
            }
            // When every batch is sent, and one whole batch is sent twice
            for (List<String> b : batches) {
                load.sendUntilAccepted(SegmentLoad.batch(b), Duration.ofSeconds(30));
            }
            load.sendUntilAccepted(SegmentLoad.batch(batches.get(7)), Duration.ofSeconds(30));
            int sent = batches.stream().mapToInt(List::size).sum() + batches.get(7).size(); // 10,000 + 500 + 100

            // Then /metrics is Prometheus text in which the gateway counted and timed every event it accepted
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT));
            Map<String, PrometheusText.Family> families = PrometheusText.parse(metrics.body());
            Map<String, String> project = Map.of("project", "proj_" + fx.name);
            assertEquals(sent, families.get("beacon_gateway_events_accepted_total").sample("beacon_gateway_events_accepted_total", project).value());
            assertEquals(sent, families.get("beacon_gateway_client_latency_seconds").sample("beacon_gateway_client_latency_seconds_count", project).value());
            assertEquals(sent, families.get("beacon_gateway_kafka_ack_seconds").sample("beacon_gateway_kafka_ack_seconds_count", project).value());
            PrometheusText.Family skew = families.get("beacon_gateway_clock_skew_seconds");
            assertEquals(sent, skew.sample("beacon_gateway_clock_skew_seconds_count", Map.of("project", "proj_" + fx.name, "direction", "ahead")).value()
                    + skew.sample("beacon_gateway_clock_skew_seconds_count", Map.of("project", "proj_" + fx.name, "direction", "behind")).value());
            double ackP99 = families.get("beacon_gateway_kafka_ack_seconds").sample("beacon_gateway_kafka_ack_seconds",
                    Map.of("project", "proj_" + fx.name, "quantile", "0.99")).value();
            assertTrue(ackP99 > 0 && ackP99 < 30, "kafka ack p99 " + ackP99);
            assertTrue(families.containsKey("jvm_memory_used_bytes"), "JVM metrics");

            // Then ClickHouse holds exactly 10,000 events: no loss, no duplicate (even without FINAL)
            long rows = PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM events"), 10_000, Duration.ofSeconds(60));
            assertEquals(10_000, rows, "rows in events");
            assertEquals(10_000, ch.queryLong("SELECT count() FROM events FINAL"));
            assertEquals(10_000, ch.queryLong("SELECT uniqExact(event_id) FROM events"));
            // and a sampled event kept its fields end to end
            assertEquals("user-" + (4321 % 997), ch.query("SELECT user_id FROM events FINAL WHERE event_id = 'm-4321'").single());
            assertEquals(List.of("n", "plan"), List.of(ch.query(
                    "SELECT arrayStringConcat(properties.key, ',') FROM events FINAL WHERE event_id = 'm-4321'").single().split(",")));
        }
    }

    @Test
    void shouldReportReadyAndLiveOverHttp(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "health", 0);
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            node.awaitReady(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"migrations\":\"ok\""), ready.body());
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("NOT_FOUND"), unknown.body());
        }
    }

    @Test
    void shouldAnswerNotReadyWhileClickHouseIsDown(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "notready", 0);
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            node.awaitReady(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest req = HttpRequest.newBuilder(URI.create(node.httpUrl() + "/health/ready")).build();
            stack.clickhouse().stop();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"clickhouse\":\"unreachable"), r.body());
            } finally {
                stack.clickhouse().restart();
            }
            List<Integer> statuses = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int status;
            do {
                status = http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
                statuses.add(status);
            } while (status != 200 && System.nanoTime() < end);
            assertEquals(200, status, "ready again after ClickHouse is back: " + statuses);
        }
    }
}
