/**
 * The events sink: {@link io.beacon.warehouse.sink.TopicTableSink} copies {@code beacon.events.valid} into the
 * {@code events} table in batches, committing offsets only after ClickHouse accepted a batch (at least
 * once; duplicates from a replay are removed on read, see {@code io.beacon.warehouse.schema}).
 * {@link io.beacon.warehouse.sink.EventRows} is the pure Event-to-row mapping.
 */
package io.beacon.warehouse.sink;
