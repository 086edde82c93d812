package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.engine.runtime.EngineMetrics;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.GatewayMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    private static final long RECEIVED_AT = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();

    @Test
    void shouldRenderTheEngineGatewayAndJvmFamiliesAsValidPrometheusText() {
        // Given a node's engine metrics and gateway metrics with 3 events accepted and 1 item refused
        GatewayMetrics gateway = new GatewayMetrics();
        GatewayMetrics.Project project = gateway.project("proj_a\"b");
        for (int i = 0; i < 3; i++) {
            project.accepted(event("m" + i));
        }
        project.acknowledged(gateway.nanoTime() - Duration.ofMillis(25).toNanos(), 3);
        project.rejected(RejectionCode.MISSING_USER_ID);
        NodeMetrics metrics = new NodeMetrics(List.of(new EngineMetrics().collector("node-1"), gateway));

        // When the registry is scraped, the text parses strictly
        Map<String, PrometheusText.Family> families = PrometheusText.parse(metrics.text());

        // Then the engine's counters keep their names and node label
        PrometheusText.Family records = families.get("beacon_engine_records_total");
        assertEquals("counter", records.type());
        assertEquals(0.0, records.sample("beacon_engine_records_total", Map.of("node", "node-1")).value());
        assertEquals("counter", families.get("beacon_engine_stage_seconds_total").type());
        assertEquals(5, families.get("beacon_engine_stage_seconds_total").samples().size());
        // and the gateway's stage counters and latency summaries are there for the project (label escaped and read back)
        Map<String, String> labels = Map.of("project", "proj_a\"b");
        assertEquals(3.0, families.get("beacon_gateway_events_accepted_total").sample("beacon_gateway_events_accepted_total", labels).value());
        assertEquals(1.0, families.get("beacon_gateway_items_rejected_total").sample("beacon_gateway_items_rejected_total",
                Map.of("project", "proj_a\"b", "code", "MISSING_USER_ID")).value());
        PrometheusText.Family client = families.get("beacon_gateway_client_latency_seconds");
        assertEquals("summary", client.type());
        assertEquals(3.0, client.sample("beacon_gateway_client_latency_seconds_count", labels).value());
        assertEquals(4.0, client.sample("beacon_gateway_client_latency_seconds", Map.of("project", "proj_a\"b", "quantile", "0.99")).value(), 0.04);
        PrometheusText.Family skew = families.get("beacon_gateway_clock_skew_seconds");
        assertEquals(3.0, skew.sample("beacon_gateway_clock_skew_seconds_count", Map.of("project", "proj_a\"b", "direction", "ahead")).value());
        assertEquals(2.0, skew.sample("beacon_gateway_clock_skew_seconds", Map.of("project", "proj_a\"b", "direction", "ahead", "quantile", "0.5")).value(), 0.02);
        PrometheusText.Family ack = families.get("beacon_gateway_kafka_ack_seconds");
        assertEquals(3.0, ack.sample("beacon_gateway_kafka_ack_seconds_count", labels).value());
        assertTrue(ack.sample("beacon_gateway_kafka_ack_seconds", Map.of("project", "proj_a\"b", "quantile", "0.5")).value() >= 0.025);
        // and the JVM's own metrics
        assertEquals("gauge", families.get("jvm_memory_used_bytes").type());
    }

    @Test
    void shouldRefuseTextThatBreaksTheFormat() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m_total 1\n"), "a sample before its TYPE");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n"), "a duplicate series");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE m gauge\nm{a=\"\\x\"} 1\n"), "a bad escape");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE m summary\nm 1\n"), "a quantile without its label");
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(
                "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"y\"} 2\n"), "samples of a family split");
    }

    /** A track event that happened 4 s before it was sent, sent by a client whose clock is 2 s ahead. */
    private static Event event(String messageId) {
        ObjectNode item = EventCodec.mapper().createObjectNode().put("type", "track").put("event", "Viewed")
                .put("userId", "u1").put("messageId", messageId)
                .put("originalTimestamp", RECEIVED_AT - 2_000).put("sentAt", RECEIVED_AT + 2_000);
        return IncomingRequest.prepare(0, item, "proj_a\"b", RECEIVED_AT, "127.0.0.1", null).event();
    }
}
