/**
 * The {@link io.beacon.control.store.ConfigStore}: versioned JSON documents keyed
 * {@code kind/project/id} on the compacted topic {@code beacon.config}, materialized in memory by
 * every process, with optimistic concurrency and read-your-writes.
 *
 * <h2>Wire format</h2>
 * Record key: the UTF-8 string {@code kind/project/id}. Record value: a UTF-8 JSON object whose
 * {@code version} field (a long &ge; 1) is set by the store; the other fields are the document
 * (snake_case). A deletion is two records: a marker {@code {"version":N+1,"deleted":true}} (which
 * takes part in conflict resolution) followed by a tombstone ({@code null} value) so compaction
 * removes the key.
 *
 * <h2>Conflict resolution (authoritative, on read)</h2>
 * Every view applies the same deterministic rule to the records of a key in partition order
 * (all records of a key live in one partition):
 * <ol>
 *   <li>a tombstone removes the key;</li>
 *   <li>a record for a key the view does not hold is accepted (this is what a fresh view sees after
 *       compaction, and the first create);</li>
 *   <li>otherwise a record is accepted only if its version is the held version + 1; a later record
 *       built on the same base version lost the race and is ignored by every view.</li>
 * </ol>
 * A writer waits until its own view has read its record; if the record was ignored it reports a
 * {@link io.beacon.control.store.ConflictException}. Because compaction keeps only the last record
 * of a key, the losing writer then appends a <em>repair</em> record re-stating the winner (same
 * version and content, ignored by live views as a no-op) so that the last record of every key
 * always equals the current state; a plain last-record-wins reader (a {@code GlobalKTable})
 * therefore converges to the same state too. The topic's {@code min.compaction.lag.ms} keeps recent
 * records out of compaction while a repair is in flight.
 */
package io.beacon.control.store;
