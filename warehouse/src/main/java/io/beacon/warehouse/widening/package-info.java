/**
 * Widening ("数据打宽"): a property marked {@code promoted} in the registry gets its own typed, nullable
 * column {@code p_<name>} in {@code events}, which the sink fills from then on, so queries read
 * {@code SELECT avg(p_amount) FROM events FINAL WHERE project_id = 'shop'} instead of digging in the
 * {@code properties} pair.
 *
 * <ul>
 *   <li>{@link io.beacon.warehouse.widening.ColumnPromotion} — the port the registry's owner calls
 *       (promote, demote, reconcile); the warehouse does not depend on the control plane.</li>
 *   <li>{@link io.beacon.warehouse.widening.PromotedColumns} — its implementation: DDL, the
 *       {@code promoted_columns} bookkeeping, the {@link io.beacon.warehouse.widening.PromotionSnapshot}
 *       the sink reads.</li>
 *   <li>{@link io.beacon.warehouse.widening.ColumnNames} (naming, collisions),
 *       {@link io.beacon.warehouse.widening.PromotedType} (type mapping),
 *       {@link io.beacon.warehouse.widening.PromotedValues} (coercion, unparseable → NULL): pure.</li>
 * </ul>
 *
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><th>registry type</th><th>column</th></tr>
 *   <tr><td>number</td><td>{@code Nullable(Float64)}</td></tr>
 *   <tr><td>boolean</td><td>{@code Nullable(UInt8)}</td></tr>
 *   <tr><td>string</td><td>{@code Nullable(String)}</td></tr>
 *   <tr><td>datetime</td><td>{@code Nullable(DateTime('UTC'))}</td></tr>
 *   <tr><td>list</td><td>{@code Array(String)} (absent = {@code []})</td></tr>
 * </table>
 *
 * Startup wiring (after the migrations): {@code PromotedColumns columns = new PromotedColumns(clickhouse);
 * columns.load();} then {@code new TopicTableSink(settings, clickhouse, columns).start()}; register the
 * registry listener that calls {@code promote}/{@code demote}, then {@code reconcile} with the current
 * promoted properties.
 */
package io.beacon.warehouse.widening;
