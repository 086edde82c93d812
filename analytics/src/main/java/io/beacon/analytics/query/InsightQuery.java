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

    /**
     * Top transitions within sessions from an anchor: the first event matching {@code start} (or, with
     * {@code end}, up to the first event matching it; neither: the session's first event), {@code depth}
     * transitions deep ({@code docs/analysis-semantics.md}, Paths).
     */
    record Paths(DateRange range, PathEvents events, EventSelector start, EventSelector end, int depth, boolean collapseRepeats,
                 List<PathCleaning> cleaning, List<Filter> filters, int linksPerStep, ZoneId zone) implements InsightQuery {
    }

    /** Which events make up a path and how they are labelled. */
    enum PathEvents { ALL, PAGEVIEWS, SCREENS }

    /** One URL-cleaning rule: RE2 {@code regex} replaced by {@code replacement} ({@code \1}…{@code \9} refer to groups). */
    record PathCleaning(String regex, String replacement) {
    }

    /** Events-per-person histogram; {@code edges} are the buckets' inclusive lower bounds (the last is open). */
    record Distribution(DateRange range, EventSelector event, List<Filter> filters, List<Long> edges, ZoneId zone) implements InsightQuery {
        public Distribution {
            edges = List.copyOf(edges);
        }
    }

    /** Persons by the number of intervals they were active in. */
    record Stickiness(DateRange range, Interval interval, EventSelector event, List<Filter> filters, ZoneId zone) implements InsightQuery {
    }

    /** New / returning / resurrecting / dormant persons per interval. */
    record Lifecycle(DateRange range, Interval interval, EventSelector event, List<Filter> filters, ZoneId zone) implements InsightQuery {
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
