package io.beacon.abtest.analysis;

import io.beacon.abtest.experiment.Metric;
import io.beacon.abtest.experiment.MetricType;
import io.beacon.event.NumericText;

/**
 * The warehouse SQL of an analysis, as text (pure, unit-tested; runs on ClickHouse 18.16 and current
 * releases). Units are distinct ids in {@code experiment_exposures}; a unit with rows for more than one
 * variation is excluded from every metric and counted separately. A unit's first exposure is the earliest
 * exposure time; a metric counts the unit's events in {@code [first, first + window)}, and its CUPED
 * covariate is the same metric over {@code [first − lookback, first)}. Events are read with {@code FINAL}
 * so replayed duplicates count once. 18.16 lambdas cannot capture joined columns, so the windowing uses
 * a fan-out join and {@code countIf}/{@code sumIf} instead of array functions.
 */
public final class AnalysisSql {
    private AnalysisSql() {
    }

    /** Single-variation units: {@code distinct_id, variation, first_ms}. */
    static String exposedUnits(String project, String experimentKey) {
        return """
                SELECT distinct_id, any(variation_key) AS variation, min(exposure_time_ms) AS first_ms
                FROM experiment_exposures
                WHERE project_id = %s AND experiment_key = %s
                GROUP BY distinct_id
                HAVING uniqExact(variation_key) = 1""".formatted(quote(project), quote(experimentKey));
    }

    /** Units per variation: columns {@code variation, units}. */
    public static String unitsPerVariation(String project, String experimentKey) {
        return "SELECT variation, count() AS units FROM (\n" + exposedUnits(project, experimentKey)
                + "\n) GROUP BY variation ORDER BY variation";
    }

    /** The number of units exposed to more than one variation: column {@code units}. */
    public static String multiVariationUnits(String project, String experimentKey) {
        return """
                SELECT count() AS units FROM (
                    SELECT distinct_id FROM experiment_exposures
                    WHERE project_id = %s AND experiment_key = %s
                    GROUP BY distinct_id
                    HAVING uniqExact(variation_key) > 1
                )""".formatted(quote(project), quote(experimentKey));
    }

    /**
     * Per-variation sums of a metric and its pre-exposure covariate: columns {@code variation, units,
     * conversions, sum_y, sum_y2, sum_x, sum_x2, sum_xy}.
     *
     * @param lookbackMs the CUPED covariate window before first exposure (0 disables it: x = 0)
     * @param sinceMs    lower bound of event times read (experiment start minus lookback), or 0
     */
    public static String metric(String project, String experimentKey, Metric metric, long lookbackMs, long sinceMs) {
        long window = metric.windowHours() * 3_600_000L;
        String in = "ts >= first_ms AND ts < first_ms + " + window;
        String pre = "ts >= first_ms - " + lookbackMs + " AND ts < first_ms";
        String value;
        String covariate;
        String eventValue;
        if (metric.type() == MetricType.CONVERSION) {
            value = "countIf(" + in + ") > 0";
            covariate = lookbackMs > 0 ? "countIf(" + pre + ") > 0" : "0";
            eventValue = "1";
        } else if (metric.type() == MetricType.COUNT) {
            value = "countIf(" + in + ")";
            covariate = lookbackMs > 0 ? "countIf(" + pre + ")" : "0";
            eventValue = "1";
        } else {
            value = "sumIf(v, " + in + ")";
            covariate = lookbackMs > 0 ? "sumIf(v, " + pre + ")" : "0";
            // A number by NumericText's rule (a JSON number), else 0: toFloat64OrZero alone reads '+3' as 0 on 18.16, 3 on 26.x.
            String text = "properties.value[indexOf(properties.key, " + quote(metric.property()) + ")]";
            eventValue = "if(match(" + text + ", " + quote(NumericText.SQL_PATTERN) + ") AND isFinite(toFloat64OrZero(" + text + ")), "
                    + "toFloat64OrZero(" + text + "), 0)";
        }
        String since = sinceMs > 0 ? "\n                      AND event_time_ms >= " + sinceMs : "";
        return """
                SELECT variation, count() AS units, sum(converted) AS conversions,
                       sum(y) AS sum_y, sum(y * y) AS sum_y2, sum(x) AS sum_x, sum(x * x) AS sum_x2, sum(x * y) AS sum_xy
                FROM (
                    SELECT distinct_id, variation,
                           countIf(%s) > 0 AS converted,
                           toFloat64(%s) AS y,
                           toFloat64(%s) AS x
                    FROM (
                %s
                    ) AS exposed ALL LEFT JOIN (
                        SELECT distinct_id, event_time_ms AS ts, toFloat64(%s) AS v
                        FROM events FINAL
                        WHERE project_id = %s AND event_name = %s%s
                          AND distinct_id IN (SELECT distinct_id FROM experiment_exposures
                                              WHERE project_id = %s AND experiment_key = %s)
                    ) AS goal_events USING distinct_id
                    GROUP BY distinct_id, variation
                )
                GROUP BY variation
                ORDER BY variation""".formatted(in, value, covariate, exposedUnits(project, experimentKey).indent(4),
                eventValue, quote(project), quote(metric.event()), since, quote(project), quote(experimentKey));
    }

    /** A ClickHouse string literal: backslash and quote escaped. */
    public static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
