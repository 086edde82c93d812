package io.beacon.warehouse.sink;

import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;

/**
 * Copies the connectors' delivery attempts from {@code <prefix>beacon.cdp.deliveries} (written by the outbox
 * workers, {@link CdpCodec} JSON) into ClickHouse {@code deliveries} ({@link DeliveryRows}), with {@link RowSink}'s
 * machinery; the table's key {@code (project_id, destination_id, message_id, attempt)} collapses a replay's copies.
 * Consumer group {@code <sink group-id>-deliveries}; the schema must be migrated (version 10) first.
 */
public final class DeliverySink extends RowSink {

    /** A sink of {@value TopicNames#CDP_DELIVERIES} under the settings' topic prefix. */
    public DeliverySink(WarehouseSettings settings, ClickHouse clickhouse) {
        this(settings, clickhouse, settings.topics().cdpDeliveries());
    }

    /** A sink of {@code topic} (for deployments that name it otherwise). */
    public DeliverySink(WarehouseSettings settings, ClickHouse clickhouse, String topic) {
        super(settings, clickhouse, topic, MigrationCatalog.DELIVERIES, "deliveries", DeliveryRows::row);
    }
}
