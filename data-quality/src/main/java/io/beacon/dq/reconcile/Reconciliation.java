package io.beacon.dq.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One project's hour reconciled end to end (pure): the distinct event ids the gateway accepted (read back from
 * {@code beacon.events.raw}), the ids the topology dead-lettered, and the ids ClickHouse stores. {@code missing} =
 * accepted − dead-lettered − stored (lost somewhere after the gateway); {@code unexpected} = stored ids the gateway
 * did not accept in that hour (a replay, another hour's copy). The accuracy check compares the realtime counters
 * ({@code dq_counts}: accepted copies) and the active users in ClickHouse with the same figures recomputed from the
 * raw topic; a relative difference above the threshold (default 1 %) alerts.
 *
 * @param acceptedRecords raw records of the hour (every copy)
 * @param acceptedIds     distinct ids among them
 * @param duplicateCopies copies beyond the first of an id
 * @param deadLettered    accepted ids found in the DLQ
 * @param stored          accepted ids found in ClickHouse
 * @param missing         how many accepted ids are neither stored nor dead-lettered
 * @param missingSample   some of them, sorted
 * @param unexpected      stored ids not accepted in the hour
 * @param counterRecords  the accepted copies the collector counted for the hour ({@code dq_counts})
 * @param counterDiff     |counter − raw| / raw
 * @param rawUsers        distinct users (distinct ids) of the raw records that were not dead-lettered
 * @param storedUsers     distinct users ClickHouse stores for the hour
 * @param usersDiff       |stored − raw| / raw
 */
public record Reconciliation(long acceptedRecords, long acceptedIds, long duplicateCopies, long deadLettered, long stored,
                             long missing, List<String> missingSample, long unexpected, long counterRecords,
                             double counterDiff, long rawUsers, long storedUsers, double usersDiff) {

    /** True when something was lost, or a realtime figure differs from the recomputation by more than {@code threshold}. */
    public boolean alert(double threshold) {
        return missing > 0 || counterDiff > threshold || usersDiff > threshold;
    }

    /**
     * @param rawIds      event id → copies in the raw topic for the hour
     * @param userOfId    event id → its distinct id (user id, else anonymous id), for the raw ids
     * @param dlqIds      ids in the DLQ (any subset of the raw ids; others are ignored)
     * @param storedIds   ids ClickHouse stores for the hour
     * @param storedUsers distinct users ClickHouse stores for the hour
     * @param counted     accepted copies in {@code dq_counts} for the hour
     */
    public static Reconciliation of(Map<String, Integer> rawIds, Map<String, String> userOfId, Collection<String> dlqIds, Set<String> storedIds,
                                    long storedUsers, long counted, int sampleSize) {
        long records = rawIds.values().stream().mapToLong(Integer::longValue).sum();
        Set<String> dead = new TreeSet<>();
        for (String id : dlqIds) {
            if (rawIds.containsKey(id)) {
                dead.add(id);
            }
        }
        long stored = 0;
        TreeSet<String> missing = new TreeSet<>();
        for (String id : rawIds.keySet()) {
            if (storedIds.contains(id)) {
                stored++;
            } else if (!dead.contains(id)) {
                missing.add(id);
            }
        }
        Set<String> users = new TreeSet<>();
        userOfId.forEach((id, user) -> {
            if (!dead.contains(id) && user != null) {
                users.add(user);
            }
        });
        long rawUsers = users.size();
        long unexpected = storedIds.stream().filter(id -> !rawIds.containsKey(id)).count();
        List<String> sample = new ArrayList<>();
        for (String id : missing) {
            if (sample.size() >= sampleSize) {
                break;
            }
            sample.add(id);
        }
        return new Reconciliation(records, rawIds.size(), records - rawIds.size(), dead.size(), stored, missing.size(),
                List.copyOf(sample), unexpected, counted, relative(counted, records), rawUsers, storedUsers,
                relative(storedUsers, rawUsers));
    }

    private static double relative(long value, long reference) {
        if (reference == 0) {
            return value == 0 ? 0.0 : 1.0;
        }
        return Math.abs(value - reference) / (double) reference;
    }
}
