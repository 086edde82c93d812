package io.beacon.warehouse.sink;

import io.beacon.event.TopicNames;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;

/**
 * Copies realtime segment changes from {@code <prefix>beacon.segment.changes} (written by the actor engine,
 * transactionally) into ClickHouse {@code segment_changes} ({@link SegmentChangeRows}), with {@link RowSink}'s
 * machinery. Consumer group {@code <sink group-id>-segment-changes}; the schema must be migrated (version 8) first.
 */
public final class SegmentChangeSink extends RowSink {

    /** A sink of {@value TopicNames#SEGMENT_CHANGES} under the settings' topic prefix. */
    public SegmentChangeSink(WarehouseSettings settings, ClickHouse clickhouse) {
        this(settings, clickhouse, settings.topics().segmentChanges());
    }

    /** A sink of {@code topic} (for deployments that name it otherwise). */
    public SegmentChangeSink(WarehouseSettings settings, ClickHouse clickhouse, String topic) {
        super(settings, clickhouse, topic, MigrationCatalog.SEGMENT_CHANGES, "segment-changes", SegmentChangeRows::row);
    }
}
