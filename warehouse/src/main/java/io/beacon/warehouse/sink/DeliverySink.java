package io.beacon.warehouse.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.event.EventCodec;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Copies the connectors' delivery attempts from {@code <prefix>beacon.cdp.deliveries} (written by the outbox
 * workers, {@link CdpCodec} JSON) into ClickHouse {@code deliveries}, with {@link TopicTableSink}'s machinery:
 * {@code read_committed}, batched JSONEachRow inserts, offsets committed only after ClickHouse accepted a
 * batch (at least once), retries with backoff, undecodable values to the DLQ. A replay inserts identical
 * rows that the table's {@code ReplacingMergeTree} key {@code (project_id, destination_id, message_id, attempt)}
 * collapses: read with {@code FINAL}.
 *
 * <p>Consumer group {@code <sink group-id>-deliveries}. Lifecycle: construct, {@link #start()},
 * {@link #close()} (flushes and commits) or {@link #abort()} (stops without committing the open batch).
 * The ClickHouse schema must be migrated (version 10) before {@link #start()}.
 */
public final class DeliverySink implements AutoCloseable {

    private final TopicTableSink sink;
    private final String topic;

    /** A sink of {@value TopicNames#CDP_DELIVERIES} under the settings' topic prefix. */
    public DeliverySink(WarehouseSettings settings, ClickHouse clickhouse) {
        this(settings, clickhouse, settings.topics().cdpDeliveries());
    }

    /** A sink of {@code topic} (for deployments that name it otherwise). */
    public DeliverySink(WarehouseSettings settings, ClickHouse clickhouse, String topic) {
        this.topic = topic;
        this.sink = new TopicTableSink(settings.withSink(settings.sink().withGroupId(settings.sink().groupId() + "-deliveries")),
                clickhouse, topic, MigrationCatalog.DELIVERIES,
                (value, now) -> List.of(json(DeliveryRows.row(value, now))), Clock.systemUTC());
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
