package io.beacon.analytics.retention;

import io.beacon.analytics.QueryStats;
import java.util.List;

/**
 * A retention answer: one cohort per period touching the date range (also empty ones, size 0), and the
 * averaged curve. Offsets that a cohort has not reached (period cohort+k starts at or after the end of the
 * range) are {@code null} in its {@code counts}/{@code rates} and left out of the average.
 */
public record RetentionResult(String analysis, String timezone, String period, int periods, boolean firstTime, boolean onOrAfter,
                              List<Cohort> cohorts, List<AveragePoint> average, List<QueryStats> queries, long millis) {

    /**
     * @param period the cohort period's label (local start date: the day, the Monday, the 1st)
     * @param size   persons in the cohort
     * @param counts per offset 0..N−1, the persons of the cohort who returned (null: offset not reached)
     * @param rates  counts / size (null when not reached or size 0)
     */
    public record Cohort(String period, long size, List<Long> counts, List<Double> rates) {
    }

    /**
     * @param offset  the period offset
     * @param cohorts how many cohorts reached it (empty ones included)
     * @param size    sum of the sizes of those cohorts
     * @param count   sum of their counts at this offset
     * @param rate    count / size — the size-weighted mean of the cohorts' rates (null when size is 0)
     */
    public record AveragePoint(int offset, int cohorts, long size, long count, Double rate) {
    }
}
