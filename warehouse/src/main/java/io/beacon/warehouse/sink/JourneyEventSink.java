package io.beacon.warehouse.sink;

import io.beacon.event.TopicNames;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;

/**
 * Copies journey events from {@code <prefix>beacon.journey.events} (written by the actor engine in the user's
 * transaction) into ClickHouse {@code journey_events} ({@link JourneyEventRows}), with {@link RowSink}'s machinery.
 * Consumer group {@code <sink group-id>-journey-events}; the schema must be migrated (version 11) first.
 */
public final class JourneyEventSink extends RowSink {

    /** A sink of {@value TopicNames#JOURNEY_EVENTS} under the settings' topic prefix. */
    public JourneyEventSink(WarehouseSettings settings, ClickHouse clickhouse) {
        this(settings, clickhouse, settings.topics().journeyEvents());
    }

    /** A sink of {@code topic} (for deployments that name it otherwise). */
    public JourneyEventSink(WarehouseSettings settings, ClickHouse clickhouse, String topic) {
        super(settings, clickhouse, topic, MigrationCatalog.JOURNEY_EVENTS, "journey-events", JourneyEventRows::row);
    }
}
