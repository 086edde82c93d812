package io.beacon.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
    public static final int MAX_BUCKETS = 2_000;
    public static final int MAX_FILTERS = 50;
    public static final int MAX_VALUES = 500;
    public static final int MAX_TEXT = 1_000;
    public static final int MAX_RANGE_DAYS = 3 * 366;
    /**
     * Event names: 1–200 characters, as the gateway accepts them (quotes, backslashes and control characters
     * included: a name reaches SQL only as an escaped literal, {@link SqlLiterals#string}).
     */
    public static final int MAX_EVENT_NAME = 200;
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_+\\-/]{1,64}");
    private static final Set<String> LETTERS = Set.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
            "N", "O", "P", "Q", "R", "S", "T");

    private QueryParser() {
    }

    /** Cohort filters met during {@link #parse(JsonNode, ZoneId, CohortResolver)} on this thread resolve here. */
    private static final ThreadLocal<CohortResolver> COHORTS = ThreadLocal.withInitial(() -> CohortResolver.NONE);

    /**
     * Parses a request body whose filters may name cohorts ({@code {"cohort": "<id>", "op": "in"|"not_in"}}),
     * resolved by {@code cohorts}. The resolver is scoped to this call on this thread (the parse methods are
     * static and the filter grammar is shared by every analysis, so it is not threaded through each of them).
     */
    public static InsightQuery parse(JsonNode body, ZoneId projectZone, CohortResolver cohorts) {
        CohortResolver outer = COHORTS.get();
        COHORTS.set(cohorts);
        try {
            return parse(body, projectZone);
        } finally {
            COHORTS.set(outer);
        }
    }

    /**
     * Runs {@code parsing} with cohort filters refused (cohort definitions parse their event filters with
     * it: a cohort cannot filter by another cohort).
     */
    public static <T> T withoutCohorts(java.util.function.Supplier<T> parsing) {
        CohortResolver outer = COHORTS.get();
        COHORTS.set(CohortResolver.NONE);
        try {
            return parsing.get();
        } finally {
            COHORTS.set(outer);
        }
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

    static EventSelector selector(ObjectNode node, String field) {
        String event = null;
        if (node.hasNonNull("event")) {
            event = text(node.get("event"), field + ".event", true);
            if (event.isEmpty() || event.length() > MAX_EVENT_NAME) {
                throw new InvalidQueryException(field + ".event", "event names are 1–" + MAX_EVENT_NAME + " characters");
            }
        }
        return new EventSelector(event, filters(node.get("filters"), field + ".filters"));
    }

    static List<Filter> filters(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> items = array(node, field, 0, MAX_FILTERS);
        List<Filter> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(filter(items.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Filter filter(JsonNode node, String field) {
        ObjectNode f = object(node, field);
        if (f.has("cohort")) {
            allowOnly(f, field, "cohort", "op");
            String id = text(f.get("cohort"), field + ".cohort", true);
            String op = f.hasNonNull("op") ? text(f.get("op"), field + ".op", true) : "in";
            if (!op.equals("in") && !op.equals("not_in")) {
                throw new InvalidQueryException(field + ".op", "a cohort filter's op is in or not_in");
            }
            return Filter.cohort(id, op.equals("in"), COHORTS.get().membersSql(id, field + ".cohort"));
        }
        allowOnly(f, field, "property", "op", "value");
        PropertyRef property = PropertyRef.parse(text(f.get("property"), field + ".property", true), field + ".property");
        String opText = f.hasNonNull("op") ? text(f.get("op"), field + ".op", true) : "eq";
        FilterOp op = FilterOp.fromWire(opText).orElseThrow(() -> new InvalidQueryException(field + ".op",
                "unknown operator '" + PropertyRef.printable(opText) + "' (eq, neq, contains, not_contains, regex, not_regex, gt, gte, lt, lte, between, is_set, is_not_set, in, not_in)"));
        String vf = field + ".value";
        JsonNode v = f.get("value");
        List<Object> values = new ArrayList<>();
        switch (op) {
            case IS_SET, IS_NOT_SET -> {
                if (v != null && !v.isNull()) {
                    throw new InvalidQueryException(vf, op.wire() + " takes no value");
                }
            }
            case EQ, NEQ -> values.add(scalar(v, vf));
            case CONTAINS, NOT_CONTAINS -> values.add(text(v, vf, true));
            case REGEX, NOT_REGEX -> {
                String re = text(v, vf, true);
                try {
                    Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    throw new InvalidQueryException(vf, "not a valid regular expression: " + e.getDescription());
                }
                values.add(re);
            }
            case GT, GTE, LT, LTE -> values.add(number(v, vf));
            case BETWEEN -> {
                List<JsonNode> two = array(v, vf, 2, 2);
                double lo = number(two.get(0), vf + "[0]");
                double hi = number(two.get(1), vf + "[1]");
                if (lo > hi) {
                    throw new InvalidQueryException(vf, "the lower bound is above the upper bound");
                }
                values.add(lo);
                values.add(hi);
            }
            case IN, NOT_IN -> {
                List<JsonNode> list = array(v, vf, 1, MAX_VALUES);
                for (int i = 0; i < list.size(); i++) {
                    values.add(scalar(list.get(i), vf + "[" + i + "]"));
                }
            }
        }
        return new Filter(property, op, values);
    }

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

    static ZoneId zone(ObjectNode root, ZoneId projectZone) {
        if (!root.hasNonNull("timezone")) {
            return projectZone;
        }
        String tz = text(root.get("timezone"), "timezone", true);
        if (!ZONE.matcher(tz).matches() || !(ZoneId.getAvailableZoneIds().contains(tz) || tz.equals("UTC"))) {
            throw new InvalidQueryException("timezone", "'" + PropertyRef.printable(tz) + "' is not an IANA time zone id (e.g. UTC, Europe/Berlin)");
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new InvalidQueryException("timezone", "'" + tz + "' is not a time zone");
        }
    }

    static DateRange dateRange(JsonNode node, ZoneId zone) {
        ObjectNode r = object(node, "date_range");
        allowOnly(r, "date_range", "from", "to");
        String from = text(r.get("from"), "date_range.from", true);
        String to = text(r.get("to"), "date_range.to", true);
        DateRange range;
        if (from.length() == 10 && to.length() == 10) {
            range = DateRange.days(date(from, "date_range.from"), date(to, "date_range.to"), zone);
        } else {
            range = DateRange.of(dateTime(from, "date_range.from"), dateTime(to, "date_range.to"), zone);
        }
        if (!range.from().isBefore(range.to())) {
            throw new InvalidQueryException("date_range", "'from' must be before 'to'");
        }
        if (range.from().getEpochSecond() < 0 || range.to().getEpochSecond() > 4_294_967_295L) {
            throw new InvalidQueryException("date_range", "must lie between 1970 and 2106");
        }
        if (java.time.Duration.between(range.from(), range.to()).toDays() > MAX_RANGE_DAYS) {
            throw new InvalidQueryException("date_range", "spans more than " + MAX_RANGE_DAYS + " days");
        }
        return range;
    }

    private static LocalDate date(String s, String field) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(field, "expected a date yyyy-MM-dd or a date-time yyyy-MM-ddTHH:mm[:ss]");
        }
    }

    private static LocalDateTime dateTime(String s, String field) {
        try {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(field, "expected a date yyyy-MM-dd or a date-time yyyy-MM-ddTHH:mm[:ss]");
        }
    }

    static Interval interval(JsonNode node, String field, Interval dflt) {
        if (node == null || node.isNull()) {
            return dflt;
        }
        String s = text(node, field, true);
        return switch (s) {
            case "hour" -> Interval.HOUR;
            case "day" -> Interval.DAY;
            case "week" -> Interval.WEEK;
            case "month" -> Interval.MONTH;
            default -> throw new InvalidQueryException(field, "unknown interval '" + PropertyRef.printable(s) + "' (hour, day, week, month)");
        };
    }

    // ---- JSON helpers --------------------------------------------------------------------------

    static ObjectNode object(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidQueryException(field.isEmpty() ? "body" : field, "is required");
        }
        if (!node.isObject()) {
            throw new InvalidQueryException(field.isEmpty() ? "body" : field, "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static void allowOnly(ObjectNode node, String field, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                String path = field.isEmpty() ? name : field + "." + name;
                throw new InvalidQueryException(PropertyRef.printable(path), "unknown field (allowed: " + String.join(", ", names) + ")");
            }
        }
    }

    static List<JsonNode> array(JsonNode node, String field, int min, int max) {
        if (node == null || node.isNull() || !node.isArray()) {
            throw new InvalidQueryException(field, "must be an array of " + min + "–" + max + " items");
        }
        if (node.size() < min || node.size() > max) {
            throw new InvalidQueryException(field, "has " + node.size() + " items; allowed " + min + "–" + max);
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    static String text(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidQueryException(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidQueryException(field, "must be a string");
        }
        String s = node.asText();
        if (s.length() > MAX_TEXT) {
            throw new InvalidQueryException(field, "is longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    private static Object scalar(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidQueryException(field, "is required (a string, number or boolean)");
        }
        if (node.isTextual()) {
            return text(node, field, true);
        }
        if (node.isNumber()) {
            return number(node, field);
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        throw new InvalidQueryException(field, "must be a string, number or boolean");
    }

    static double number(JsonNode node, String field) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new InvalidQueryException(field, "must be a number");
        }
        return node.asDouble();
    }

    static boolean bool(JsonNode node, String field, boolean dflt) {
        if (node == null || node.isNull()) {
            return dflt;
        }
        if (!node.isBoolean()) {
            throw new InvalidQueryException(field, "must be true or false");
        }
        return node.asBoolean();
    }

    static int integer(JsonNode node, String field, int min, int max, Integer dflt) {
        if (node == null || node.isNull()) {
            if (dflt == null) {
                throw new InvalidQueryException(field, "is required");
            }
            return dflt;
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw new InvalidQueryException(field, "must be an integer " + min + "–" + max);
        }
        return node.asInt();
    }
}
