package io.beacon.engine.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The users whose entities hold events not yet in a snapshot, per partition (consumer thread only). An entity defers
 * its snapshot when an event changes nothing the changelog must carry at once (no segment change, no index change,
 * no earlier timer): the snapshot then comes with a later batch or a flush after {@code snapshot-interval}. Until it
 * does, the partition's committed offset is held back to the oldest such event, so a crash or a takeover re-reads it —
 * and replaying is idempotent per user ({@code UserState.appliedOffset}). Fewer snapshots mean fewer state encodes,
 * changelog records and store writes for users active several times within the interval.
 */
final class DeferredSnapshots {
    private record Entry(long fromOffset, long sinceNanos) {
    }

    private final Map<Integer, LinkedHashMap<String, Entry>> byPartition = new HashMap<>();
    /** Per partition: offset → how many users are deferred from it (for the minimum). */
    private final Map<Integer, TreeMap<Long, Integer>> offsets = new HashMap<>();

    /** {@code user} holds events from {@code fromOffset} on that no snapshot has; an older entry stays. */
    void deferred(int partition, String user, long fromOffset, long nowNanos) {
        LinkedHashMap<String, Entry> users = byPartition.computeIfAbsent(partition, k -> new LinkedHashMap<>());
        if (users.putIfAbsent(user, new Entry(fromOffset, nowNanos)) == null) {
            offsets.computeIfAbsent(partition, k -> new TreeMap<>()).merge(fromOffset, 1, Integer::sum);
        }
    }

    /** {@code user}'s state is all in a snapshot (written with a batch, or nothing to write). */
    void snapshotted(int partition, String user) {
        LinkedHashMap<String, Entry> users = byPartition.get(partition);
        Entry e = users == null ? null : users.remove(user);
        if (e != null) {
            TreeMap<Long, Integer> o = offsets.get(partition);
            o.computeIfPresent(e.fromOffset(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The offset to commit for {@code partition} after a batch ending at {@code nextOffset}: no later than a deferral. */
    long commitOffset(int partition, long nextOffset) {
        TreeMap<Long, Integer> o = offsets.get(partition);
        return o == null || o.isEmpty() ? nextOffset : Math.min(nextOffset, o.firstKey());
    }

    /** Users of {@code partition} deferred since before {@code olderThanNanos}, oldest first, at most {@code limit}. */
    List<String> due(int partition, long olderThanNanos, int limit) {
        LinkedHashMap<String, Entry> users = byPartition.get(partition);
        List<String> out = new ArrayList<>();
        if (users == null) {
            return out;
        }
        // insertion order is deferral order: stop at the first that is young enough
        for (Iterator<Map.Entry<String, Entry>> it = users.entrySet().iterator(); it.hasNext() && out.size() < limit; ) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().sinceNanos() - olderThanNanos > 0) {
                break;
            }
            out.add(e.getKey());
        }
        return out;
    }

    /** Forgets a partition (given up, revoked): its entities dropped what was not in a snapshot. */
    void clear(int partition) {
        byPartition.remove(partition);
        offsets.remove(partition);
    }

    int size(int partition) {
        LinkedHashMap<String, Entry> users = byPartition.get(partition);
        return users == null ? 0 : users.size();
    }

    Iterable<Integer> partitions() {
        return new ArrayList<>(byPartition.keySet());
    }
}
