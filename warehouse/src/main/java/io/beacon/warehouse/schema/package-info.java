/**
 * The ClickHouse schema: {@link io.beacon.warehouse.schema.MigrationCatalog} holds every DDL statement
 * as versioned migrations, {@link io.beacon.warehouse.schema.Migrations} applies them at startup.
 *
 * <h2>Reading events without duplicates</h2>
 *
 * The events sink is at-least-once: after a crash it re-reads from the last committed Kafka offset and
 * inserts some events a second time. {@code events} is a {@code ReplacingMergeTree} whose sorting key
 * {@code (project_id, event_date, event_name, event_id)} is the same for every copy of an event, so
 * background merges eventually keep one copy — but <em>when</em> is up to the server. Therefore:
 *
 * <ul>
 *   <li><b>Analyses read {@code events FINAL}</b> with their filters in the same query, e.g.
 *       {@code SELECT count() FROM events FINAL WHERE project_id = 'p' AND event_date >= toDate('2026-10-01')}.
 *       {@code FINAL} collapses copies at read time, and the {@code WHERE} on the key prefix still prunes
 *       partitions and granules. Checked on 18.16, also with {@code windowFunnel} and {@code Nested} reads.
 *       </li>
 *   <li>{@code events_dedup} ({@code SELECT * FROM events FINAL}) is for ad-hoc SQL in the console only:
 *       18.16 does not push a query's {@code WHERE} into a view ({@code enable_optimize_predicate_expression}
 *       is 0 there), so every query on it collapses the whole table first.</li>
 *   <li>Raw {@code events} (without {@code FINAL}) may count a replayed event twice; use it only where
 *       that does not matter (sampling, {@code uniqExact(event_id)}).</li>
 * </ul>
 */
package io.beacon.warehouse.schema;
