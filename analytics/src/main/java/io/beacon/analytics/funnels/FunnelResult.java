package io.beacon.analytics.funnels;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * A funnel answer: one group per breakdown value ({@code null} without breakdown), each with one entry per
 * step; {@code persons} when the query asked for them.
 */
public record FunnelResult(String analysis, String order, long windowMillis, List<Group> groups, List<String> persons,
                           List<QueryStats> queries, long millis) {

    public record Group(String breakdownValue, List<Step> steps) {
    }

    /**
     * @param count                 persons who reached this step
     * @param conversionFromFirst   count / count of step 1
     * @param conversionFromPrevious count / count of the previous step (1 for step 1)
     * @param dropOff               previous count − count (0 for step 1)
     * @param avgMillisFromPrevious average time from the previous step over persons who reached this one (null for step 1 / unordered)
     * @param medianMillisFromPrevious median (quantileExact 0.5) of the same
     */
    public record Step(int step, String event, long count, double conversionFromFirst, double conversionFromPrevious, long dropOff,
                       Double avgMillisFromPrevious, Double medianMillisFromPrevious) {
    }
}
