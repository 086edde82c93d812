package io.beacon.warehouse.sink;

/**
 * A snapshot of the events sink's counters, for health checks and metrics.
 *
 * @param running             whether the sink thread is consuming
 * @param rowsWritten         rows ClickHouse accepted (a replay after a crash counts its rows again)
 * @param batchesWritten      inserts ClickHouse accepted
 * @param deadLettered        records published to the DLQ because they could not become rows
 * @param insertFailures      failed insert (or DLQ publish) attempts, each retried
 * @param commitFailures      offset commits Kafka refused after a successful insert (those rows are re-read and
 *                            collapsed by {@code FINAL})
 * @param consecutiveFailures failed attempts of the batch currently being retried, 0 when healthy
 * @param lastFlushAtMillis   when the last batch was stored, epoch ms, 0 before the first
 * @param lastError           the last failure's message, {@code null} if none
 */
public record SinkStats(
        boolean running,
        long rowsWritten,
        long batchesWritten,
        long deadLettered,
        long insertFailures,
        long commitFailures,
        int consecutiveFailures,
        long lastFlushAtMillis,
        String lastError) {
}
