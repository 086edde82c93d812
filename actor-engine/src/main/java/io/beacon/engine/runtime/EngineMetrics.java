package io.beacon.engine.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's metrics, rendered in the Prometheus text format at {@code GET /metrics} by the engine routes:
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

    /** Prometheus text exposition format 0.0.4. */
    public String prometheus(String nodeId) {
        StringBuilder sb = new StringBuilder();
        String node = "node=\"" + nodeId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        sb.append("# HELP beacon_engine_consumer_lag Records of beacon.events.valid not yet processed, per owned partition.\n");
        sb.append("# TYPE beacon_engine_consumer_lag gauge\n");
        lag().forEach((p, v) -> sb.append("beacon_engine_consumer_lag{").append(node).append(",partition=\"").append(p)
                .append("\"} ").append(v).append('\n'));
        counter(sb, "beacon_engine_records_total", "Events applied to user entities.", node, records.sum());
        counter(sb, "beacon_engine_transactions_total", "Kafka transactions committed (event batches and timer rounds).", node, transactions.sum());
        counter(sb, "beacon_engine_segment_changes_total", "Segment entries and exits written to beacon.segment.changes.", node, segmentChanges.sum());
        counter(sb, "beacon_engine_score_changes_total", "Score threshold crossings written to beacon.score.changes.", node, scoreChanges.sum());
        counter(sb, "beacon_engine_journey_sends_total", "Journey sends written to the CDP outbox.", node, journeySends.sum());
        counter(sb, "beacon_engine_journey_events_total", "Journey events written to beacon.journey.events.", node, journeyEvents.sum());
        counter(sb, "beacon_engine_scores_total", "Scores computed by user entities (champion and challenger each count).", node, SCORES.sum());
        sb.append("# HELP beacon_engine_scoring_seconds_total Seconds user entities spent scoring (feature extraction and model).\n");
        sb.append("# TYPE beacon_engine_scoring_seconds_total counter\n");
        sb.append("beacon_engine_scoring_seconds_total{").append(node).append("} ").append(SCORE_NANOS.sum() / 1e9).append('\n');
        counter(sb, "beacon_engine_model_swaps_total", "Models swapped in without a restart (promotions, rollbacks, challengers).", node, MODEL_SWAPS.sum());
        counter(sb, "beacon_engine_model_refusals_total", "Models refused at promotion (the previous model kept scoring).", node, MODEL_REFUSALS.sum());
        counter(sb, "beacon_engine_timer_ticks_total", "Users re-evaluated because a durable timer fell due.", node, timerTicks.sum());
        counter(sb, "beacon_engine_aborted_batches_total", "Batches given up (transaction aborted, partition re-read from the committed offset).", node, abortedBatches.sum());
        counter(sb, "beacon_engine_restores_total", "Partitions restored from the changelog.", node, restores.sum());
        counter(sb, "beacon_engine_restored_users_total", "User states restored from the changelog.", node, restoredUsers.sum());
        sb.append("# HELP beacon_engine_stage_seconds_total Seconds spent per pipeline stage (poll, ask, settle = waiting for the commit in flight, transaction, store).\n");
        sb.append("# TYPE beacon_engine_stage_seconds_total counter\n");
        stageSeconds().forEach((stage, v) -> sb.append("beacon_engine_stage_seconds_total{").append(node).append(",stage=\"")
                .append(stage).append("\"} ").append(v).append('\n'));
        counter(sb, "beacon_engine_undecodable_records_total", "Records of beacon.events.valid that could not be decoded and were skipped.", node, UNDECODABLE.sum());
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, String node, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append('{').append(node).append("} ").append(value).append('\n');
    }
}
