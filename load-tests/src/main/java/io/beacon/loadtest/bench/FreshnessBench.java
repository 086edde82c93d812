package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.loadtest.load.Batch;
import io.beacon.loadtest.load.BatchSource;
import io.beacon.loadtest.load.LoadGenerator;
import io.beacon.loadtest.load.LoadReport;
import io.beacon.loadtest.load.LoadSettings;
import io.beacon.loadtest.load.SegmentBatches;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.loadtest.sim.SimulatorSettings;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (d) End-to-end freshness: a full node (gateway, topology, sink) in its own process ({@link PlatformChild})
 * under a sustained, paced load of
 * simulator events. Every fifth request carries a marker event; a watcher polls ClickHouse every
 * 100 ms for markers and records, per marker, the time it was first seen minus its
 * {@code received_at_ms} (the gateway's receive time; same machine, same clock). Resolution is the
 * poll interval plus one query.
 */
final class FreshnessBench {
    private static final Logger LOG = LoggerFactory.getLogger(FreshnessBench.class);
    static final String MARKER = "freshness_marker";
    static final int BATCH = 100;
    static final int MARKER_EVERY = 5;

    record Result(double targetRate, LoadReport report, long markersSent, long markersSeen, Histogram freshnessMillis,
                  long rowsStored, long platformPeakRssKb, JfrProfile.Summary profile) {
    }

    private FreshnessBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        NodeConfig nc = NodeConfig.of("bench_e2e", "all", stack.kafka().bootstrapServers(), stack.clickhouse().httpUrl());
        long needed = (long) (scale.freshnessRate() * (scale.freshnessWarmup().toSeconds() + scale.freshnessMeasure().toSeconds() + 5));
        Iterator<SimEvent> events = new BehaviourSimulator(SimulatorSettings.of(404, (int) (needed / 10) + 100)).events().iterator();
        Path jfrFile = work.resolve("jfr").resolve("end-to-end-platform.jfr");
        Files.createDirectories(jfrFile.getParent());
        PlatformChild node = PlatformChild.start(nc, work.resolve("platform-e2e.log"), jfrFile, Duration.ofSeconds(120));
        long peakRss;
        Result result;
        try (ClickHouse ch = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouse().httpUrl(), nc.database()))) {
            LoadSettings paced = new LoadSettings(URI.create(node.httpUrl()), nc.writeKey(), 8, scale.freshnessRate(),
                    1_000_000_000L, scale.freshnessWarmup(), Duration.ofSeconds(15));
            LoadReport warm = new LoadGenerator(paced).run(SegmentBatches.from(events, BATCH));
            LOG.info("freshness warm-up: {}", warm);
            // measure the steady state: the warm-up's events (and the topology's start-up backlog) are stored first
            long drained = awaitRows(ch, warm.eventsAccepted(), Duration.ofSeconds(90));
            LOG.info("warm-up drained: {} of {} rows stored", drained, warm.eventsAccepted());

            Histogram freshness = new Histogram(60_000, 3);
            AtomicLong markersSent = new AtomicLong();
            AtomicBoolean watching = new AtomicBoolean(true);
            Set<String> seen = new HashSet<>();
            Thread watcher = new Thread(() -> watch(ch, watching, seen, freshness), "freshness-watcher");
            watcher.start();
            BatchSource withMarkers = new BatchSource() {
                private final BatchSource plain = SegmentBatches.from(events, BATCH);
                private long batches;

                @Override
                public Batch next() {
                    if (++batches % MARKER_EVERY != 0) {
                        return plain.next();
                    }
                    List<String> items = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH - 1 && events.hasNext(); i++) {
                        items.add(events.next().json());
                    }
                    long k = markersSent.incrementAndGet();
                    items.add("{\"type\":\"track\",\"event\":\"" + MARKER + "\",\"messageId\":\"marker-" + k
                            + "\",\"anonymousId\":\"bench-marker\",\"timestamp\":\"" + Instant.now() + "\",\"properties\":{\"k\":" + k + "}}");
                    return new Batch(SegmentBatches.body(items), items.size());
                }
            };
            LoadReport report = new LoadGenerator(paced.withMaxDuration(scale.freshnessMeasure())).run(withMarkers);
            LOG.info("freshness load: {}", report);
            // let the last markers arrive (bounded)
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < end) {
                synchronized (seen) {
                    if (seen.size() >= markersSent.get()) {
                        break;
                    }
                }
                Thread.sleep(100); // poll interval of the wait for stragglers
            }
            watching.set(false);
            watcher.join(5_000);
            long stored = awaitRows(ch, warm.eventsAccepted() + report.eventsAccepted(), Duration.ofSeconds(30));
            synchronized (seen) {
                LOG.info("freshness: {} of {} markers seen; p50 {} ms, p99 {} ms, max {} ms", seen.size(), markersSent.get(),
                        freshness.getValueAtPercentile(50), freshness.getValueAtPercentile(99), freshness.getMaxValue());
                peakRss = node.peakRssKb();
                result = new Result(scale.freshnessRate(), report, markersSent.get(), seen.size(), freshness.copy(), stored,
                        peakRss, null);
            }
        } finally {
            node.close();
        }
        // the child wrote its recording on exit (its whole life: start-up, warm-up and the measured minute)
        JfrProfile.Summary profile = JfrProfile.summarise("end-to-end (platform process)", jfrFile);
        return new Result(result.targetRate(), result.report(), result.markersSent(), result.markersSeen(),
                result.freshnessMillis(), result.rowsStored(), result.platformPeakRssKb(), profile);
    }

    private static void watch(ClickHouse ch, AtomicBoolean watching, Set<String> seen, Histogram freshness) {
        long since = 0;
        while (watching.get()) {
            try {
                QueryResult r = ch.query("SELECT event_id, received_at_ms FROM events WHERE event_name = '" + MARKER
                        + "' AND received_at_ms >= " + since);
                long now = System.currentTimeMillis();
                synchronized (seen) {
                    for (var row : r.rows()) {
                        if (seen.add(row.get(0))) {
                            long receivedAt = Long.parseLong(row.get(1));
                            freshness.recordValue(Math.max(0, Math.min(60_000, now - receivedAt)));
                            since = Math.max(since, receivedAt - 30_000); // late rows of older markers still match
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the table may not exist for a moment at start; the next poll retries
            }
            try {
                Thread.sleep(100); // the watcher's poll interval: the resolution of the freshness figure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long awaitRows(ClickHouse ch, long expected, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long n = -1;
        while (System.nanoTime() < end) {
            try {
                n = ch.queryLong("SELECT count() FROM events");
            } catch (RuntimeException e) {
                n = -1; // the table may not be migrated yet
            }
            if (n >= expected) {
                return n;
            }
            Thread.sleep(200); // poll interval
        }
        return n;
    }
}
