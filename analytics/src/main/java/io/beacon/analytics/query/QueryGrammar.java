package io.beacon.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The grammar every analysis's JSON shares, read as strictly as the analyses themselves: time zone, date range,
 * interval, event selector, the filter list (with the cohort filters of the current parse) and the JSON readers
 * that name a refused field by its JSON path. {@link QueryParser} and {@link BehaviourParser} build on it; it
 * knows neither. Pure.
 */
final class QueryGrammar {
    /** Time buckets of one query: at most this many. */
    static final int MAX_BUCKETS = 2_000;
    static final int MAX_FILTERS = 50;
    static final int MAX_VALUES = 500;
    static final int MAX_TEXT = JsonFields.MAX_TEXT;
    static final int MAX_RANGE_DAYS = 3 * 366;
    /** Event names: 1–200 characters (see {@link QueryParser#MAX_EVENT_NAME}). */
    static final int MAX_EVENT_NAME = 200;
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_+\\-/]{1,64}");

    /** Cohort filters met during a parse on this thread resolve here ({@link #withCohorts}). */
    private static final ThreadLocal<CohortResolver> COHORTS = ThreadLocal.withInitial(() -> CohortResolver.NONE);

    private QueryGrammar() {
    }

    /** Runs {@code parsing} with cohort filters resolved by {@code cohorts} on this thread, then restores the outer resolver. */
    static <T> T withCohorts(CohortResolver cohorts, Supplier<T> parsing) {
        CohortResolver outer = COHORTS.get();
        COHORTS.set(cohorts);
        try {
            return parsing.get();
        } finally {
            COHORTS.set(outer);
        }
    }

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
        if (Duration.between(range.from(), range.to()).toDays() > MAX_RANGE_DAYS) {
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
        return JsonFields.object(node, field);
    }

    static void allowOnly(ObjectNode node, String field, String... names) {
        JsonFields.allowOnly(node, field, names);
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
        return JsonFields.text(node, field, required);
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
        return JsonFields.integer(node, field, min, max, dflt);
    }
}
