package io.beacon.warehouse.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.event.EventCodec;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A sink that copies one topic into one table, one row per record, with {@link TopicTableSink}'s machinery:
 * {@code read_committed}, batched JSONEachRow inserts, offsets committed only after ClickHouse accepted a batch
 * (at least once), retries with backoff, undecodable values to the DLQ. The subclasses name the topic, the table and
 * the pure row mapping; their tables are {@code ReplacingMergeTree}s keyed so that a replay's identical rows collapse
 * (read with {@code FINAL}). Consumer group {@code <sink group-id>-<suffix>}. Lifecycle: construct, {@link #start()},
 * {@link #close()} (flushes and commits) or {@link #abort()} (stops without committing the open batch); the
 * ClickHouse schema must be migrated before {@link #start()}.
 */
public abstract class RowSink implements AutoCloseable {

    /** One record value ({@code null} for a tombstone) to its row; throws {@link IllegalArgumentException} for a bad value (it becomes a dead letter). */
    @FunctionalInterface
    protected interface RowMapper {
        Map<String, Object> row(byte[] value, long insertedAtMillis);
    }

    private final TopicTableSink sink;
    private final String topic;

    protected RowSink(WarehouseSettings settings, ClickHouse clickhouse, String topic, String table, String groupSuffix,
                      RowMapper rows) {
        this.topic = topic;
        this.sink = new TopicTableSink(settings.withSink(settings.sink().withGroupId(settings.sink().groupId() + "-" + groupSuffix)),
                clickhouse, topic, table, (value, now) -> List.of(json(rows.row(value, now))), Clock.systemUTC());
    }

    /** The topic it reads. */
    public String topic() {
        return topic;
    }

    /** Starts consuming on the sink's own thread. */
    public void start() {
        sink.start();
    }

    public boolean isRunning() {
        return sink.isRunning();
    }

    public SinkStats stats() {
        return sink.stats();
    }

    /** Flushes and commits the open batch, then stops (waits up to 30 s). */
    @Override
    public void close() {
        sink.close();
    }

    public void close(Duration timeout) {
        sink.close(timeout);
    }

    /** Stops at once without inserting or committing the open batch (it is read again). */
    public void abort() {
        sink.abort();
    }

    /** Test hook: halt like a crash after this many accepted inserts, before committing. */
    void crashAfterInserts(int inserts) {
        sink.crashAfterInserts(inserts);
    }

    private static String json(Map<String, Object> row) {
        try {
            return EventCodec.mapper().writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write row", e);
        }
    }
}
