package io.beacon.analytics.distribution;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * Events per person: the persons with at least one matching event in the range, by how many they did.
 *
 * @param persons persons with ≥ 1 matching event
 * @param events  matching events (Σ over persons)
 */
public record DistributionResult(String analysis, String timezone, long persons, long events, List<Bucket> buckets,
                                 List<QueryStats> queries, long millis) {

    /**
     * @param label   {@code "3"}, {@code "3-9"} or {@code "10+"}
     * @param min     smallest per-person count in the bucket (inclusive)
     * @param max     largest (inclusive), {@code null} for the open last bucket
     * @param persons persons whose count lies in [min, max]
     */
    public record Bucket(String label, long min, Long max, long persons) {
    }
}
