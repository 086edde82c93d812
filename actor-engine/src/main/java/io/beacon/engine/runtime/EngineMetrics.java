package io.beacon.engine.runtime;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's metrics, collected by the node's Prometheus registry at {@code GET /metrics} ({@link #collector}):
 * consumer lag per owned partition (records between the consumer's position and the partition's end), records
 * and transactions processed, segment and score changes emitted, scores computed and the time they took, model
 * swaps and refusals, batches given up, restores.
 */
public final class EngineMetrics {
    /** Records of {@code beacon.events.valid} that did not decode (counted, logged, skipped). */
    static final LongAdder UNDECODABLE = new LongAdder();
    /** Scores computed by the entities (champion and challenger each count). */
    static final LongAdder SCORES = new LongAdder();
    /** Nanoseconds the entities spent scoring (features and model). */
    static final LongAdder SCORE_NANOS = new LongAdder();
    /** Models swapped in by a {@link ModelCatalog} (promotions, rollbacks, challenger changes). */
    static final LongAdder MODEL_SWAPS = new LongAdder();
    /** Models a {@link ModelCatalog} refused (the previous one kept scoring). */
    static final LongAdder MODEL_REFUSALS = new LongAdder();

    final LongAdder records = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder segmentChanges = new LongAdder();
    final LongAdder scoreChanges = new LongAdder();
    final LongAdder journeySends = new LongAdder();
    final LongAdder journeyEvents = new LongAdder();
    final LongAdder timerTicks = new LongAdder();
    final LongAdder abortedBatches = new LongAdder();
    final LongAdder restores = new LongAdder();
    final LongAdder restoredUsers = new LongAdder();
    /** Consumer thread: nanoseconds in {@code poll}. */
    final LongAdder pollNanos = new LongAdder();
    /** Consumer thread: nanoseconds from the first command of a batch to its last answer. */
    final LongAdder askNanos = new LongAdder();
    /** Consumer thread: nanoseconds waiting for the previous batch's commit before handing the next one over. */
    final LongAdder settleNanos = new LongAdder();
    /** Committer: nanoseconds in the Kafka transaction (sends, offsets, commit). */
    final LongAdder transactionNanos = new LongAdder();
    /** Committer: nanoseconds writing the stores after the transaction. */
    final LongAdder storeNanos = new LongAdder();
    private final ConcurrentHashMap<Integer, Long> lag = new ConcurrentHashMap<>();

    void lag(int partition, long value) {
        lag.put(partition, value);
    }

    void forget(int partition) {
        lag.remove(partition);
    }

    /** Consumer lag per owned partition, as last measured. */
    public Map<Integer, Long> lag() {
        return new TreeMap<>(lag);
    }

    public long recordsProcessed() {
        return records.sum();
    }

    public long segmentChangesEmitted() {
        return segmentChanges.sum();
    }

    /** Score threshold crossings written to {@code beacon.score.changes}. */
    public long scoreChangesEmitted() {
        return scoreChanges.sum();
    }

    /** Journey sends written to the CDP outbox. */
    public long journeySendsEmitted() {
        return journeySends.sum();
    }

    /** Journey events (entered, step, sent, capped, exited, ...) written to {@code beacon.journey.events}. */
    public long journeyEventsEmitted() {
        return journeyEvents.sum();
    }

    /** Scores computed in this process (champion and challenger each count). */
    public static long scoresComputed() {
        return SCORES.sum();
    }

    /** Mean microseconds per score computed in this process (features and model), 0 before any. */
    public static double microsPerScore() {
        long n = SCORES.sum();
        return n == 0 ? 0 : SCORE_NANOS.sum() / 1e3 / n;
    }

    /**
     * Seconds spent per stage so far — {@code poll}, {@code ask} (entities of a batch), {@code settle} (consumer waiting
     * for the commit in flight), {@code transaction}, {@code store} — to see which one the pipeline waits on.
     */
    public Map<String, Double> stageSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("poll", pollNanos.sum() / 1e9);
        m.put("ask", askNanos.sum() / 1e9);
        m.put("settle", settleNanos.sum() / 1e9);
        m.put("transaction", transactionNanos.sum() / 1e9);
        m.put("store", storeNanos.sum() / 1e9);
        return m;
    }

    /**
     * The engine's metrics as Prometheus snapshots, each sample labelled {@code node}: what a node's registry
     * collects at {@code GET /metrics}. Read from the counters at each scrape.
     */
    public MultiCollector collector(String nodeId) {
        return () -> snapshots(nodeId);
    }

    /** {@link #collector} written in the Prometheus text format 0.0.4 (the engine's own {@code /metrics}). */
    public String prometheus(String nodeId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots(nodeId));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private MetricSnapshots snapshots(String nodeId) {
        Labels node = Labels.of("node", nodeId);
        GaugeSnapshot.Builder lagGauge = GaugeSnapshot.builder().name("beacon_engine_consumer_lag")
                .help("Records of beacon.events.valid not yet processed, per owned partition.");
        lag().forEach((p, v) -> lagGauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(node.add("partition", Integer.toString(p))).value(v).build()));
        CounterSnapshot.Builder stages = CounterSnapshot.builder().name("beacon_engine_stage_seconds")
                .help("Seconds spent per pipeline stage (poll, ask, settle = waiting for the commit in flight, transaction, store).");
        stageSeconds().forEach((stage, v) -> stages.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(node.add("stage", stage)).value(v).build()));
        return MetricSnapshots.of(lagGauge.build(),
                counter("beacon_engine_records", "Events applied to user entities.", node, records.sum()),
                counter("beacon_engine_transactions", "Kafka transactions committed (event batches and timer rounds).", node, transactions.sum()),
                counter("beacon_engine_segment_changes", "Segment entries and exits written to beacon.segment.changes.", node, segmentChanges.sum()),
                counter("beacon_engine_score_changes", "Score threshold crossings written to beacon.score.changes.", node, scoreChanges.sum()),
                counter("beacon_engine_journey_sends", "Journey sends written to the CDP outbox.", node, journeySends.sum()),
                counter("beacon_engine_journey_events", "Journey events written to beacon.journey.events.", node, journeyEvents.sum()),
                counter("beacon_engine_scores", "Scores computed by user entities (champion and challenger each count).", node, SCORES.sum()),
                counter("beacon_engine_scoring_seconds", "Seconds user entities spent scoring (feature extraction and model).", node, SCORE_NANOS.sum() / 1e9),
                counter("beacon_engine_model_swaps", "Models swapped in without a restart (promotions, rollbacks, challengers).", node, MODEL_SWAPS.sum()),
                counter("beacon_engine_model_refusals", "Models refused at promotion (the previous model kept scoring).", node, MODEL_REFUSALS.sum()),
                counter("beacon_engine_timer_ticks", "Users re-evaluated because a durable timer fell due.", node, timerTicks.sum()),
                counter("beacon_engine_aborted_batches", "Batches given up (transaction aborted, partition re-read from the committed offset).", node, abortedBatches.sum()),
                counter("beacon_engine_restores", "Partitions restored from the changelog.", node, restores.sum()),
                counter("beacon_engine_restored_users", "User states restored from the changelog.", node, restoredUsers.sum()),
                stages.build(),
                counter("beacon_engine_undecodable_records", "Records of beacon.events.valid that could not be decoded and were skipped.", node, UNDECODABLE.sum()));
    }

    /** A counter family of one sample; the text format adds the {@code _total} suffix to {@code name}. */
    private static CounterSnapshot counter(String name, String help, Labels labels, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }
}
