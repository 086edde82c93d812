package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.gateway.runtime.Gateway;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private static final long KAFKA_ACK_NANOS = Duration.ofMillis(40).toNanos();

    @Test
    void shouldCountAcceptedAndRejectedItemsAndRecordTheirLatenciesPerProject() throws Exception {
        // Given a gateway whose event log takes 40 ms (on the metrics' clock) to acknowledge a batch
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        GatewayMetrics metrics = new GatewayMetrics(nanos::get, Duration.ofMinutes(1));
        EventLog slowLog = entries -> {
            nanos.addAndGet(KAFKA_ACK_NANOS);
            return CompletableFuture.completedFuture(null);
        };
        Gateway gateway = new Gateway(GatewayHarness.defaultSettings(), StaticWriteKeys.of(GatewayHarness.WRITE_KEY, GatewayHarness.PROJECT),
                slowLog, GatewayHarness.CLOCK, FeatureFlags.none(), metrics);
        // and a batch sent 5 s after its events happened, by a client whose clock is 5 s behind the server's
        ObjectNode noUser = Payloads.item("track", "m2");
        noUser.remove("userId");
        ObjectNode body = Payloads.batch(
                Payloads.item("track", "m0").put("originalTimestamp", "2026-11-25T11:59:50Z"),
                Payloads.item("track", "m1").put("originalTimestamp", "2026-11-25T11:59:50Z"),
                noUser);
        body.put("sentAt", "2026-11-25T11:59:55Z");

        // When it is posted
        try (GatewayHarness harness = GatewayHarness.serve(gateway.route())) {
            assertEquals(200, harness.post("/v1/batch", body).status());
        }

        // Then two events are counted accepted and one item rejected, under the project
        Labels project = Labels.of("project", GatewayHarness.PROJECT);
        assertEquals(2.0, counter(metrics, "beacon_gateway_events_accepted", project).getValue());
        assertEquals(1.0, counter(metrics, "beacon_gateway_items_rejected", project.add("code", "MISSING_USER_ID")).getValue());
        // and each accepted event's client latency is the 5 s its client measured (2 significant digits)
        SummarySnapshot.SummaryDataPointSnapshot client = summary(metrics, "beacon_gateway_client_latency_seconds", project);
        assertEquals(2, client.getCount());
        assertEquals(10.0, client.getSum(), 1e-9);
        assertEquals(5.0, client.getQuantiles().get(0).getValue(), 0.05);
        assertEquals(5.0, client.getQuantiles().get(2).getValue(), 0.05);
        // and the client's clock is 5 s behind
        SummarySnapshot.SummaryDataPointSnapshot behind = summary(metrics, "beacon_gateway_clock_skew_seconds", project.add("direction", "behind"));
        assertEquals(2, behind.getCount());
        assertEquals(5.0, behind.getQuantiles().get(1).getValue(), 0.05);
        assertEquals(0, summary(metrics, "beacon_gateway_clock_skew_seconds", project.add("direction", "ahead")).getCount());
        // and both waited the 40 ms from the request's arrival to Kafka's acknowledgement
        SummarySnapshot.SummaryDataPointSnapshot ack = summary(metrics, "beacon_gateway_kafka_ack_seconds", project);
        assertEquals(2, ack.getCount());
        assertEquals(0.040, ack.getQuantiles().get(0).getValue(), 0.0004);
        assertEquals(0.080, ack.getSum(), 1e-9);
    }

    @Test
    void shouldForgetQuantilesOfWindowsPastButKeepCountAndSum() {
        // Given a series with one-minute windows and 100 values of 1..100 recorded
        long minute = Duration.ofMinutes(1).toNanos();
        LatencyWindow window = new LatencyWindow(1_000, minute, 0);
        for (int v = 1; v <= 100; v++) {
            window.record(v, 1, 0);
        }
        double[] quantiles = {0.5, 0.99};
        // Then the quantiles are those of the values
        LatencyWindow.Snapshot now = window.snapshot(quantiles, 0);
        assertEquals(50, now.values()[0], 1);
        assertEquals(99, now.values()[1], 1);
        // and still are in the next window
        assertEquals(50, window.snapshot(quantiles, minute + 1).values()[0], 1);
        // but not two windows later, while the count and sum stay
        LatencyWindow.Snapshot later = window.snapshot(quantiles, 3 * minute);
        assertTrue(Double.isNaN(later.values()[0]));
        assertEquals(100, later.count());
        assertEquals(5050, later.sum());
    }

    @Test
    void shouldCountValuesAboveTheHighestAsTheHighestAndNegativeOnesAsZero() {
        LatencyWindow window = new LatencyWindow(1_000, Duration.ofMinutes(1).toNanos(), 0);
        window.record(5_000, 1, 0);
        window.record(-20, 1, 0);
        LatencyWindow.Snapshot s = window.snapshot(new double[] {0.0, 1.0}, 0);
        assertEquals(0, s.values()[0], 0);
        assertEquals(1_000, s.values()[1], 10);
        assertEquals(1_000, s.sum());
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(GatewayMetrics metrics, String name, Labels labels) {
        return (CounterSnapshot.CounterDataPointSnapshot) point(metrics, name, labels);
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summary(GatewayMetrics metrics, String name, Labels labels) {
        return (SummarySnapshot.SummaryDataPointSnapshot) point(metrics, name, labels);
    }

    private static DataPointSnapshot point(GatewayMetrics metrics, String name, Labels labels) {
        for (MetricSnapshot family : metrics.collect()) {
            if (family.getMetadata().getName().equals(name)) {
                for (DataPointSnapshot p : family.getDataPoints()) {
                    if (p.getLabels().equals(labels)) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no " + name + labels);
    }
}
