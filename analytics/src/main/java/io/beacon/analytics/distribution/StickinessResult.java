package io.beacon.analytics.distribution;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * Stickiness: persons by the number of intervals they were active in.
 *
 * @param intervals the intervals touching the range (the largest possible count)
 * @param counts    one entry per k = 1..intervals, also zeros
 */
public record StickinessResult(String analysis, String timezone, String interval, int intervals, long persons, List<Count> counts,
                               List<QueryStats> queries, long millis) {

    /** {@code persons} were active in exactly {@code intervals} distinct intervals. */
    public record Count(int intervals, long persons) {
    }
}
