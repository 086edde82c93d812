package io.beacon.gateway;

import io.beacon.event.Event;
import io.beacon.event.RejectionCode;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What the gateway measured, per project, as Prometheus families for a node's {@code GET /metrics}:
 * <ul>
 *   <li>{@code beacon_gateway_events_accepted_total{project}}: events Kafka acknowledged (answered 2xx);</li>
 *   <li>{@code beacon_gateway_items_rejected_total{project,code}}: items refused once their project was known
 *       (the refusals reported as data-quality facts), by rejection code;</li>
 *   <li>{@code beacon_gateway_client_latency_seconds{project}}: client → server, {@code received_at − event_time}
 *       of each accepted event, with {@code event_time} the skew-corrected time ({@link io.beacon.event.EventTimes});</li>
 *   <li>{@code beacon_gateway_clock_skew_seconds{project,direction}}: the raw client clock skew the correction
 *       cancels, {@code |sent_at − received_at|} of each accepted event that carries {@code sent_at},
 *       {@code direction} {@code ahead} (the client's clock is later) or {@code behind};</li>
 *   <li>{@code beacon_gateway_kafka_ack_seconds{project}}: gateway → Kafka ack, from the request's arrival to the
 *       producer's acknowledgement of its batch, once per accepted event.</li>
 * </ul>
 * The three latencies are summaries: quantiles 0.5, 0.95 and 0.99 from HdrHistograms over the last one to two
 * minutes, {@code _count} and {@code _sum} since start. Recording happens on the request path and allocates
 * nothing per event.
 */
public final class GatewayMetrics implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** Client latencies and skews above a week count as a week (imports with old timestamps). */
    private static final long MAX_MILLIS = Duration.ofDays(7).toMillis();
    /** Acknowledgements above ten minutes count as ten minutes (the delivery timeout is far below). */
    private static final long MAX_ACK_MICROS = Duration.ofMinutes(10).toNanos() / 1_000;
    private static final RejectionCode[] CODES = RejectionCode.values();

    private final LongSupplier nanoTime;
    private final long windowNanos;
    private final ConcurrentHashMap<String, Project> projects = new ConcurrentHashMap<>();

    /** On {@link System#nanoTime()}, quantiles over one to two minutes. */
    public GatewayMetrics() {
        this(System::nanoTime, WINDOW);
    }

    /** With a clock for the quantiles' window, so tests can age it. */
    GatewayMetrics(LongSupplier nanoTime, Duration window) {
        this.nanoTime = nanoTime;
        this.windowNanos = window.toNanos();
    }

    /** The series of a project, created on first use. */
    public Project project(String projectId) {
        Project p = projects.get(projectId);
        return p != null ? p : projects.computeIfAbsent(projectId, id -> new Project(nanoTime.getAsLong()));
    }

    /** The current time on the metrics' clock, for {@link Project#acknowledged}. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** One project's counters and latency series. */
    public final class Project {
        private final LongAdder accepted = new LongAdder();
        private final AtomicLongArray rejected = new AtomicLongArray(CODES.length);
        private final LatencyWindow clientLatency;
        private final LatencyWindow skewAhead;
        private final LatencyWindow skewBehind;
        private final LatencyWindow kafkaAck;

        private Project(long now) {
            clientLatency = new LatencyWindow(MAX_MILLIS, windowNanos, now);
            skewAhead = new LatencyWindow(MAX_MILLIS, windowNanos, now);
            skewBehind = new LatencyWindow(MAX_MILLIS, windowNanos, now);
            kafkaAck = new LatencyWindow(MAX_ACK_MICROS, windowNanos, now);
        }

        /** An event Kafka acknowledged: counts it and records its client latency and clock skew. */
        public void accepted(Event event) {
            long now = nanoTime.getAsLong();
            accepted.increment();
            clientLatency.record(event.receivedAt() - event.eventTime(), 1, now);
            if (event.sentAt() != null) {
                long skew = event.sentAt() - event.receivedAt();
                (skew >= 0 ? skewAhead : skewBehind).record(Math.abs(skew), 1, now);
            }
        }

        /**
         * Kafka acknowledged a request's {@code events} accepted events.
         *
         * @param arrivedNanos when the request arrived, on {@link GatewayMetrics#nanoTime()}
         */
        public void acknowledged(long arrivedNanos, int events) {
            long now = nanoTime.getAsLong();
            kafkaAck.record(TimeUnit.NANOSECONDS.toMicros(now - arrivedNanos), events, now);
        }

        /** An item refused with {@code code}. */
        public void rejected(RejectionCode code) {
            rejected.incrementAndGet(code.ordinal());
        }
    }

    @Override
    public MetricSnapshots collect() {
        long now = nanoTime.getAsLong();
        CounterSnapshot.Builder accepted = CounterSnapshot.builder().name("beacon_gateway_events_accepted")
                .help("Events Kafka acknowledged, per project (the client was answered 2xx).");
        CounterSnapshot.Builder rejected = CounterSnapshot.builder().name("beacon_gateway_items_rejected")
                .help("Items refused once their project was known, per project and rejection code.");
        SummarySnapshot.Builder client = SummarySnapshot.builder().name("beacon_gateway_client_latency_seconds")
                .help("Client to server: received_at minus the skew-corrected event_time of each accepted event.");
        SummarySnapshot.Builder skew = SummarySnapshot.builder().name("beacon_gateway_clock_skew_seconds")
                .help("Raw client clock skew, |sent_at - received_at| of each accepted event with sent_at; direction ahead or behind.");
        SummarySnapshot.Builder ack = SummarySnapshot.builder().name("beacon_gateway_kafka_ack_seconds")
                .help("Gateway to Kafka ack: from the request's arrival to the producer's acknowledgement of its batch, per accepted event.");
        Map<String, Project> sorted = new TreeMap<>(projects);
        for (Map.Entry<String, Project> e : sorted.entrySet()) {
            Labels project = Labels.of("project", e.getKey());
            Project p = e.getValue();
            accepted.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(project).value(p.accepted.sum()).build());
            for (RejectionCode code : CODES) {
                long n = p.rejected.get(code.ordinal());
                if (n > 0) {
                    rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(project.add("code", code.name())).value(n).build());
                }
            }
            client.dataPoint(summary(project, p.clientLatency.snapshot(QUANTILES, now), 1e3));
            skew.dataPoint(summary(project.add("direction", "ahead"), p.skewAhead.snapshot(QUANTILES, now), 1e3));
            skew.dataPoint(summary(project.add("direction", "behind"), p.skewBehind.snapshot(QUANTILES, now), 1e3));
            ack.dataPoint(summary(project, p.kafkaAck.snapshot(QUANTILES, now), 1e6));
        }
        return MetricSnapshots.of(accepted.build(), rejected.build(), client.build(), skew.build(), ack.build());
    }

    /** A summary sample in seconds from a series recorded in units of {@code 1 / perSecond} seconds. */
    private static SummarySnapshot.SummaryDataPointSnapshot summary(Labels labels, LatencyWindow.Snapshot s, double perSecond) {
        List<Quantile> quantiles = new ArrayList<>(QUANTILES.length);
        for (int i = 0; i < QUANTILES.length; i++) {
            quantiles.add(new Quantile(QUANTILES[i], s.values()[i] / perSecond));
        }
        return SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels).count(s.count()).sum(s.sum() / perSecond)
                .quantiles(Quantiles.of(quantiles)).build();
    }
}
