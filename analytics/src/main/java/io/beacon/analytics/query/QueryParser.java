package io.beacon.analytics.query;

import static io.beacon.analytics.query.QueryGrammar.allowOnly;
import static io.beacon.analytics.query.QueryGrammar.array;
import static io.beacon.analytics.query.QueryGrammar.bool;
import static io.beacon.analytics.query.QueryGrammar.dateRange;
import static io.beacon.analytics.query.QueryGrammar.filters;
import static io.beacon.analytics.query.QueryGrammar.integer;
import static io.beacon.analytics.query.QueryGrammar.interval;
import static io.beacon.analytics.query.QueryGrammar.object;
import static io.beacon.analytics.query.QueryGrammar.selector;
import static io.beacon.analytics.query.QueryGrammar.text;
import static io.beacon.analytics.query.QueryGrammar.zone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * JSON → {@link InsightQuery}, strictly: unknown fields, wrong JSON types, out-of-range numbers and
 * unknown names are refused with an {@link InvalidQueryException} naming the field by its JSON path.
 * Pure; the project's zone is the default time zone. The wire format is documented in
 * {@code docs/analysis-semantics.md}.
 */
public final class QueryParser {
    /** Steps, series: at most this many. */
    public static final int MAX_STEPS = 20;
    public static final int MAX_SERIES = 20;
    public static final int MAX_BUCKETS = QueryGrammar.MAX_BUCKETS;
    public static final int MAX_FILTERS = QueryGrammar.MAX_FILTERS;
    public static final int MAX_VALUES = QueryGrammar.MAX_VALUES;
    public static final int MAX_TEXT = QueryGrammar.MAX_TEXT;
    public static final int MAX_RANGE_DAYS = QueryGrammar.MAX_RANGE_DAYS;
    /**
     * Event names: 1–200 characters, as the gateway accepts them (quotes, backslashes and control characters
     * included: a name reaches SQL only as an escaped literal, {@link SqlLiterals#string}).
     */
    public static final int MAX_EVENT_NAME = QueryGrammar.MAX_EVENT_NAME;
    private static final Set<String> LETTERS = Set.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
            "N", "O", "P", "Q", "R", "S", "T");

    private QueryParser() {
    }

    /**
     * Parses a request body whose filters may name cohorts ({@code {"cohort": "<id>", "op": "in"|"not_in"}}),
     * resolved by {@code cohorts}. The resolver is scoped to this call on this thread (the parse methods are
     * static and the filter grammar is shared by every analysis, so it is not threaded through each of them).
     */
    public static InsightQuery parse(JsonNode body, ZoneId projectZone, CohortResolver cohorts) {
        return QueryGrammar.withCohorts(cohorts, () -> parse(body, projectZone));
    }

    /**
     * Runs {@code parsing} with cohort filters refused (cohort definitions parse their event filters with
     * it: a cohort cannot filter by another cohort).
     */
    public static <T> T withoutCohorts(Supplier<T> parsing) {
        return QueryGrammar.withCohorts(CohortResolver.NONE, parsing);
    }

    /** The filter list grammar ({@code docs/analysis-semantics.md}), for other documents that embed it (cohorts). */
    public static List<Filter> parseFilters(JsonNode node, String field) {
        return filters(node, field);
    }

    /** {@code event} + {@code filters} of {@code node}, for other documents that embed it (cohorts). */
    public static EventSelector parseSelector(ObjectNode node, String field) {
        return selector(node, field);
    }

    /** A {@code {"value", "unit"}} duration in milliseconds (default 14 days when absent), for cohorts. */
    public static long parseWindow(JsonNode node, String field) {
        return window(node, field);
    }

    /** Parses a request body already read as JSON. */
    public static InsightQuery parse(JsonNode body, ZoneId projectZone) {
        ObjectNode root = object(body, "");
        String analysis = text(root.get("analysis"), "analysis", true);
        return switch (analysis) {
            case "trends" -> trends(root, projectZone);
            case "funnels" -> funnel(root, projectZone);
            case "retention" -> retention(root, projectZone);
            case "paths" -> BehaviourParser.paths(root, projectZone);
            case "distribution" -> BehaviourParser.distribution(root, projectZone);
            case "stickiness" -> BehaviourParser.stickiness(root, projectZone);
            case "lifecycle" -> BehaviourParser.lifecycle(root, projectZone);
            default -> throw new InvalidQueryException("analysis", "unknown analysis '" + PropertyRef.printable(analysis)
                    + "' (one of trends, funnels, retention, paths, distribution, stickiness, lifecycle)");
        };
    }

    // ---- analyses ------------------------------------------------------------------------------

    private static InsightQuery.Trends trends(ObjectNode root, ZoneId projectZone) {
        allowOnly(root, "", "analysis", "date_range", "timezone", "interval", "series", "filters", "breakdown", "compare", "formula");
        ZoneId zone = zone(root, projectZone);
        DateRange range = dateRange(root.get("date_range"), zone);
        Interval interval = interval(root.get("interval"), "interval", Interval.DAY);
        if (interval.labels(range.from(), range.to(), zone).size() > MAX_BUCKETS) {
            throw new InvalidQueryException("interval", "the date range has more than " + MAX_BUCKETS + " " + interval.wire()
                    + " buckets: use a larger interval or a shorter range");
        }
        JsonNode seriesNode = root.get("series");
        List<JsonNode> items = array(seriesNode, "series", 1, MAX_SERIES);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String f = "series[" + i + "]";
            ObjectNode s = object(items.get(i), f);
            allowOnly(s, f, "event", "filters", "math", "property");
            EventSelector events = selector(s, f);
            Aggregation math = s.hasNonNull("math")
                    ? Aggregation.fromWire(text(s.get("math"), f + ".math", true)).orElseThrow(() -> new InvalidQueryException(f + ".math",
                            "unknown math (one of total, unique_persons, per_person_avg, sum, avg, min, max, median, p90, p99)"))
                    : Aggregation.TOTAL;
            PropertyRef property = null;
            if (math.needsProperty()) {
                property = PropertyRef.parse(text(s.get("property"), f + ".property", true), f + ".property");
                if (property.kind() == PropertyRef.Kind.PERSON_PROPERTY) {
                    throw new InvalidQueryException(f + ".property", "aggregations read event properties or columns, not person properties");
                }
            } else if (s.has("property")) {
                throw new InvalidQueryException(f + ".property", "only sum/avg/min/max/median/p90/p99 take a property");
            }
            series.add(new Series(String.valueOf((char) ('A' + i)), events, math, property));
        }
        Breakdown breakdown = breakdown(root.get("breakdown"), "breakdown");
        boolean compare = bool(root.get("compare"), "compare", false);
        Formula formula = null;
        if (root.hasNonNull("formula")) {
            Set<String> letters = new LinkedHashSet<>();
            series.forEach(s -> letters.add(s.name()));
            formula = Formula.parse(text(root.get("formula"), "formula", true), letters, "formula");
        }
        return new InsightQuery.Trends(range, interval, series, filters(root.get("filters"), "filters"), breakdown, compare, formula, zone);
    }

    private static InsightQuery.Funnel funnel(ObjectNode root, ZoneId projectZone) {
        allowOnly(root, "", "analysis", "date_range", "timezone", "steps", "window", "order", "exclusions", "filters", "breakdown", "persons");
        ZoneId zone = zone(root, projectZone);
        DateRange range = dateRange(root.get("date_range"), zone);
        List<JsonNode> items = array(root.get("steps"), "steps", 2, MAX_STEPS);
        List<EventSelector> steps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String f = "steps[" + i + "]";
            ObjectNode s = object(items.get(i), f);
            allowOnly(s, f, "event", "filters");
            steps.add(selector(s, f));
        }
        long window = window(root.get("window"), "window");
        InsightQuery.FunnelOrder order = InsightQuery.FunnelOrder.ORDERED;
        if (root.hasNonNull("order")) {
            String o = text(root.get("order"), "order", true);
            order = switch (o) {
                case "ordered" -> InsightQuery.FunnelOrder.ORDERED;
                case "strict" -> InsightQuery.FunnelOrder.STRICT;
                case "unordered" -> InsightQuery.FunnelOrder.UNORDERED;
                default -> throw new InvalidQueryException("order", "unknown order '" + PropertyRef.printable(o) + "' (ordered, strict, unordered)");
            };
        }
        List<InsightQuery.Exclusion> exclusions = new ArrayList<>();
        if (root.hasNonNull("exclusions")) {
            List<JsonNode> ex = array(root.get("exclusions"), "exclusions", 0, MAX_STEPS);
            for (int i = 0; i < ex.size(); i++) {
                String f = "exclusions[" + i + "]";
                ObjectNode e = object(ex.get(i), f);
                allowOnly(e, f, "event", "filters", "from_step", "to_step");
                int from = integer(e.get("from_step"), f + ".from_step", 1, steps.size(), 1);
                int to = integer(e.get("to_step"), f + ".to_step", 1, steps.size(), steps.size());
                if (to <= from) {
                    throw new InvalidQueryException(f + ".to_step", "must be after from_step");
                }
                if (order == InsightQuery.FunnelOrder.UNORDERED) {
                    throw new InvalidQueryException(f, "exclusions need an ordered or strict funnel");
                }
                exclusions.add(new InsightQuery.Exclusion(selector(e, f), from, to));
            }
        }
        InsightQuery.PersonsAt persons = null;
        if (root.hasNonNull("persons")) {
            ObjectNode p = object(root.get("persons"), "persons");
            allowOnly(p, "persons", "step", "status", "limit");
            int step = integer(p.get("step"), "persons.step", 1, steps.size(), null);
            String status = p.hasNonNull("status") ? text(p.get("status"), "persons.status", true) : "converted";
            if (!status.equals("converted") && !status.equals("dropped")) {
                throw new InvalidQueryException("persons.status", "must be converted or dropped");
            }
            if (status.equals("dropped") && step == 1) {
                throw new InvalidQueryException("persons.step", "nobody drops before step 1: use step 2 or later");
            }
            persons = new InsightQuery.PersonsAt(step, status.equals("converted"), integer(p.get("limit"), "persons.limit", 1, 10_000, 100));
        }
        return new InsightQuery.Funnel(range, steps, window, order, exclusions, filters(root.get("filters"), "filters"),
                breakdown(root.get("breakdown"), "breakdown"), persons, zone);
    }

    private static InsightQuery.Retention retention(ObjectNode root, ZoneId projectZone) {
        allowOnly(root, "", "analysis", "date_range", "timezone", "period", "periods", "start_event", "return_event",
                "first_time", "on_or_after", "filters");
        ZoneId zone = zone(root, projectZone);
        DateRange range = dateRange(root.get("date_range"), zone);
        Interval period = interval(root.get("period"), "period", Interval.DAY);
        if (period == Interval.HOUR) {
            throw new InvalidQueryException("period", "retention periods are day, week or month");
        }
        int periods = integer(root.get("periods"), "periods", 1, 60, 7);
        ObjectNode start = object(root.get("start_event"), "start_event");
        allowOnly(start, "start_event", "event", "filters");
        ObjectNode ret = object(root.get("return_event"), "return_event");
        allowOnly(ret, "return_event", "event", "filters");
        return new InsightQuery.Retention(range, period, periods, selector(start, "start_event"), selector(ret, "return_event"),
                bool(root.get("first_time"), "first_time", false), bool(root.get("on_or_after"), "on_or_after", false),
                filters(root.get("filters"), "filters"), zone);
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static Breakdown breakdown(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode b = object(node, field);
        allowOnly(b, field, "property", "limit");
        // An event column, an event property or a person property (the person's current value).
        PropertyRef p = PropertyRef.parse(text(b.get("property"), field + ".property", true), field + ".property");
        return new Breakdown(p, integer(b.get("limit"), field + ".limit", 1, 100, 10));
    }

    private static long window(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return 14L * 86_400_000L;
        }
        ObjectNode w = object(node, field);
        allowOnly(w, field, "value", "unit");
        long value = integer(w.get("value"), field + ".value", 1, 1_000_000, null);
        String unit = text(w.get("unit"), field + ".unit", true);
        long unitMs = switch (unit) {
            case "second" -> 1_000L;
            case "minute" -> 60_000L;
            case "hour" -> 3_600_000L;
            case "day" -> 86_400_000L;
            case "week" -> 7 * 86_400_000L;
            default -> throw new InvalidQueryException(field + ".unit", "unknown unit '" + PropertyRef.printable(unit) + "' (second, minute, hour, day, week)");
        };
        long ms = value * unitMs;
        if (ms > 366L * 86_400_000L) {
            throw new InvalidQueryException(field, "the conversion window is at most 366 days");
        }
        return ms;
    }
}
