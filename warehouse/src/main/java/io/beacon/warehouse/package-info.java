/**
 * Beacon's warehouse: everything between Kafka and ClickHouse.
 *
 * <ul>
 *   <li>{@link io.beacon.warehouse.clickhouse} — the ClickHouse access wrapper
 *       ({@link io.beacon.warehouse.clickhouse.ClickHouse}), query results and their table rendering.</li>
 *   <li>{@link io.beacon.warehouse.schema} — the schema catalogue and its versioned migrations, and the
 *       rule for reading events without duplicates ({@code events FINAL}).</li>
 *   <li>{@link io.beacon.warehouse.sink} — the batched, at-least-once events sink and its row mapping.</li>
 *   <li>{@link io.beacon.warehouse.widening} — typed columns for promoted properties, fed by the registry
 *       through the {@link io.beacon.warehouse.widening.ColumnPromotion} port.</li>
 * </ul>
 *
 * Startup wiring: {@code WarehouseSettings.fromConfig(config)}, {@code ClickHouse.connect(settings.clickhouse())},
 * {@code new Migrations(clickhouse).apply()}, {@code PromotedColumns columns = new PromotedColumns(clickhouse);
 * columns.load()}, then {@code new TopicTableSink(settings, clickhouse, columns).start()}.
 * Readiness: {@code clickhouse.ping()} and {@code migrations.isUpToDate()}; sink health from
 * {@code sink.isRunning()} and {@code sink.stats()}.
 */
package io.beacon.warehouse;
