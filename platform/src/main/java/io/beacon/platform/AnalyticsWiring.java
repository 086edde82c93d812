package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.api.AnalyticsApi;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires the {@code analytics} module into a node: its port ({@link io.beacon.analytics.Warehouse}) onto the warehouse's
 * {@link ClickHouse} client (the node's own, or one created from the config and closed with the wiring),
 * the config store (cohort definitions) and its routes ({@code /api/v1/insights/*}, {@code /api/v1/cohorts}, {@code /api/v1/sql}, timelines) for the node's route concatenation.
 */
public final class AnalyticsWiring implements AutoCloseable {
    private final Analytics analytics;
    private final ClickHouse clickhouse;
    private final ClickHouse owned;

    private AnalyticsWiring(Analytics analytics, ClickHouse clickhouse, ClickHouse owned) {
        this.analytics = analytics;
        this.clickhouse = clickhouse;
        this.owned = owned;
    }

    /** @param clickhouse the node's ClickHouse client, or {@code null} to create one from the config */
    public static AnalyticsWiring start(Config config, ControlPlane controlPlane, ClickHouse clickhouse) {
        ClickHouse own = clickhouse == null ? ClickHouse.connect(WarehouseSettings.fromConfig(config).clickhouse()) : null;
        ClickHouse ch = clickhouse == null ? own : clickhouse;
        return new AnalyticsWiring(new Analytics(controlPlane.projects(), controlPlane.store(), Warehouse.of(ch),
                AnalyticsSettings.fromConfig(config)), ch, own);
    }

    /** The ClickHouse client the insights read with (the node's, or this wiring's own: closed with it). */
    public ClickHouse clickhouse() {
        return clickhouse;
    }

    public Analytics analytics() {
        return analytics;
    }

    /** The insights routes, to add to the node's route concatenation. */
    public Route routes() {
        return AnalyticsApi.routes(analytics);
    }

    @Override
    public void close() {
        analytics.close();
        if (owned != null) {
            owned.close();
        }
    }
}
