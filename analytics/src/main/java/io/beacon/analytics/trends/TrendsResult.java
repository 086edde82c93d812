package io.beacon.analytics.trends;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * A trends answer. {@code buckets} are the labels of the current period (dates, or local ISO date-times for
 * hours); every line has one value per bucket ({@code null} where an aggregate has no value, e.g. the
 * average of no numbers). Lines of the previous period (compare) are aligned by bucket index and carry
 * their own labels.
 */
public record TrendsResult(String analysis, String timezone, String interval, List<String> buckets, List<Line> series,
                           List<Line> formula, List<QueryStats> queries, long millis) {

    /**
     * @param series          the series letter
     * @param event           its event name ({@code null}: any event)
     * @param math            its aggregation
     * @param breakdownValue  the breakdown value ({@code $other} for the rest), or {@code null}
     * @param period          {@code current} or {@code previous}
     * @param labels          the bucket labels of this line
     */
    public record Line(String series, String event, String math, String breakdownValue, String period,
                       List<String> labels, List<Double> values) {
    }
}
