package io.beacon.analytics.query;

import java.time.ZoneId;
import java.util.List;

/** One analysis request, validated. */
public sealed interface InsightQuery {

    /** The zone of calendar buckets and date ranges. */
    ZoneId zone();

    /** Event counts/aggregates over time. */
    record Trends(DateRange range, Interval interval, List<Series> series, List<Filter> filters, Breakdown breakdown,
                  boolean compare, Formula formula, ZoneId zone) implements InsightQuery {
    }

    /** Conversion through ordered steps. */
    record Funnel(DateRange range, List<EventSelector> steps, long windowMillis, FunnelOrder order,
                  List<Exclusion> exclusions, List<Filter> filters, Breakdown breakdown, PersonsAt persons,
                  ZoneId zone) implements InsightQuery {
    }

    /** Cohorts by start period and the share that returns in later periods. */
    record Retention(DateRange range, Interval period, int periods, EventSelector start, EventSelector returning,
                     boolean firstTime, boolean onOrAfter, List<Filter> filters, ZoneId zone) implements InsightQuery {
    }

    /** Funnel order modes. */
    enum FunnelOrder { ORDERED, STRICT, UNORDERED }

    /** An event that, between steps {@code fromStep} and {@code toStep} (1-based), disqualifies the attempt. */
    record Exclusion(EventSelector events, int fromStep, int toStep) {
    }

    /** List the persons who reached ({@code converted}) or dropped before step {@code step}. */
    record PersonsAt(int step, boolean converted, int limit) {
    }
}
