/**
 * Deduplication of events by {@code (project, event id)} over a configurable horizon, in a
 * changelogged RocksDB window store. See {@link io.beacon.streams.dedup.Deduplication} for the
 * semantics, the time the window uses and the partitioning it relies on.
 */
package io.beacon.streams.dedup;
