package io.beacon.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JSON of the behaviour analyses — paths, distribution, stickiness, lifecycle — parsed as strictly as
 * {@link QueryParser} parses the others, on the same {@link QueryGrammar}. Only {@code QueryParser} calls it. Pure.
 */
final class BehaviourParser {
    /** Path depth (transitions after / before the anchor): 1–10. */
    static final int MAX_DEPTH = 10;
    /** Cleaning rules: at most this many, each regex and replacement at most {@link #MAX_RULE_TEXT} characters. */
    static final int MAX_RULES = 20;
    static final int MAX_RULE_TEXT = 200;
    /** Distribution bucket edges: at most this many. */
    static final int MAX_EDGES = 100;

    private BehaviourParser() {
    }

    static InsightQuery.Paths paths(ObjectNode root, ZoneId projectZone) {
        QueryGrammar.allowOnly(root, "", "analysis", "date_range", "timezone", "event_types", "start", "end", "depth", "collapse_repeats",
                "cleaning", "filters", "links_per_step");
        ZoneId zone = QueryGrammar.zone(root, projectZone);
        DateRange range = QueryGrammar.dateRange(root.get("date_range"), zone);
        InsightQuery.PathEvents events = InsightQuery.PathEvents.ALL;
        if (root.hasNonNull("event_types")) {
            String t = QueryGrammar.text(root.get("event_types"), "event_types", true);
            events = switch (t) {
                case "all" -> InsightQuery.PathEvents.ALL;
                case "pageviews" -> InsightQuery.PathEvents.PAGEVIEWS;
                case "screens" -> InsightQuery.PathEvents.SCREENS;
                default -> throw new InvalidQueryException("event_types", "unknown event types '" + PropertyRef.printable(t)
                        + "' (all, pageviews, screens)");
            };
        }
        EventSelector start = anchor(root, "start");
        EventSelector end = anchor(root, "end");
        if (start != null && end != null) {
            throw new InvalidQueryException("end", "give either start or end, not both");
        }
        int depth = QueryGrammar.integer(root.get("depth"), "depth", 1, MAX_DEPTH, 5);
        List<InsightQuery.PathCleaning> cleaning = new ArrayList<>();
        if (root.hasNonNull("cleaning")) {
            List<JsonNode> rules = QueryGrammar.array(root.get("cleaning"), "cleaning", 0, MAX_RULES);
            for (int i = 0; i < rules.size(); i++) {
                cleaning.add(rule(rules.get(i), "cleaning[" + i + "]"));
            }
        }
        return new InsightQuery.Paths(range, events, start, end, depth, QueryGrammar.bool(root.get("collapse_repeats"), "collapse_repeats", false),
                cleaning, QueryGrammar.filters(root.get("filters"), "filters"),
                QueryGrammar.integer(root.get("links_per_step"), "links_per_step", 1, 500, 20), zone);
    }

    static InsightQuery.Distribution distribution(ObjectNode root, ZoneId projectZone) {
        QueryGrammar.allowOnly(root, "", "analysis", "date_range", "timezone", "event", "filters", "buckets");
        ZoneId zone = QueryGrammar.zone(root, projectZone);
        DateRange range = QueryGrammar.dateRange(root.get("date_range"), zone);
        List<Long> edges = new ArrayList<>();
        if (root.hasNonNull("buckets")) {
            ObjectNode b = QueryGrammar.object(root.get("buckets"), "buckets");
            QueryGrammar.allowOnly(b, "buckets", "max", "edges");
            if (b.hasNonNull("max") == b.hasNonNull("edges")) {
                throw new InvalidQueryException("buckets", "give exactly one of max or edges");
            }
            if (b.hasNonNull("max")) {
                int max = QueryGrammar.integer(b.get("max"), "buckets.max", 1, MAX_EDGES, null);
                for (long k = 1; k <= max; k++) {
                    edges.add(k);
                }
            } else {
                List<JsonNode> items = QueryGrammar.array(b.get("edges"), "buckets.edges", 1, MAX_EDGES);
                for (int i = 0; i < items.size(); i++) {
                    long e = QueryGrammar.integer(items.get(i), "buckets.edges[" + i + "]", 1, 1_000_000_000, null);
                    if (i == 0 && e != 1) {
                        throw new InvalidQueryException("buckets.edges[0]", "the first bucket starts at 1 (every counted person has ≥ 1 event)");
                    }
                    if (i > 0 && e <= edges.get(i - 1)) {
                        throw new InvalidQueryException("buckets.edges[" + i + "]", "edges must increase strictly");
                    }
                    edges.add(e);
                }
            }
        } else {
            for (long k = 1; k <= 10; k++) {
                edges.add(k);
            }
        }
        return new InsightQuery.Distribution(range, event(root), QueryGrammar.filters(root.get("filters"), "filters"), edges, zone);
    }

    static InsightQuery.Stickiness stickiness(ObjectNode root, ZoneId projectZone) {
        QueryGrammar.allowOnly(root, "", "analysis", "date_range", "timezone", "interval", "event", "filters");
        ZoneId zone = QueryGrammar.zone(root, projectZone);
        DateRange range = QueryGrammar.dateRange(root.get("date_range"), zone);
        Interval interval = calendarInterval(root, range, zone);
        return new InsightQuery.Stickiness(range, interval, event(root), QueryGrammar.filters(root.get("filters"), "filters"), zone);
    }

    static InsightQuery.Lifecycle lifecycle(ObjectNode root, ZoneId projectZone) {
        QueryGrammar.allowOnly(root, "", "analysis", "date_range", "timezone", "interval", "event", "filters");
        ZoneId zone = QueryGrammar.zone(root, projectZone);
        DateRange range = QueryGrammar.dateRange(root.get("date_range"), zone);
        Interval interval = calendarInterval(root, range, zone);
        return new InsightQuery.Lifecycle(range, interval, event(root), QueryGrammar.filters(root.get("filters"), "filters"), zone);
    }

    // ---- parts ---------------------------------------------------------------------------------

    private static Interval calendarInterval(ObjectNode root, DateRange range, ZoneId zone) {
        Interval interval = QueryGrammar.interval(root.get("interval"), "interval", Interval.DAY);
        if (interval == Interval.HOUR) {
            throw new InvalidQueryException("interval", "stickiness and lifecycle intervals are day, week or month");
        }
        if (interval.labels(range.from(), range.to(), zone).size() > QueryGrammar.MAX_BUCKETS) {
            throw new InvalidQueryException("interval", "the date range has more than " + QueryGrammar.MAX_BUCKETS + " " + interval.wire() + " intervals");
        }
        return interval;
    }

    /** {@code event: {event?, filters?}}; absent = every event. */
    private static EventSelector event(ObjectNode root) {
        if (!root.hasNonNull("event")) {
            return new EventSelector(null, List.of());
        }
        ObjectNode e = QueryGrammar.object(root.get("event"), "event");
        QueryGrammar.allowOnly(e, "event", "event", "filters");
        return QueryGrammar.selector(e, "event");
    }

    private static EventSelector anchor(ObjectNode root, String field) {
        if (!root.hasNonNull(field)) {
            return null;
        }
        ObjectNode a = QueryGrammar.object(root.get(field), field);
        QueryGrammar.allowOnly(a, field, "event", "filters");
        EventSelector s = QueryGrammar.selector(a, field);
        if (s.event() == null && s.filters().isEmpty()) {
            throw new InvalidQueryException(field, "needs an event or filters (leave it out to start at the session's first event)");
        }
        return s;
    }

    /** Java-only regex syntax that RE2 (ClickHouse's engine) lacks or reads differently. */
    private static final Pattern NOT_RE2 = Pattern.compile(
            "\\(\\?[=!<>]|\\(\\?[a-zA-Z]*[^a-zA-Z):\\-]|[*+?}]\\+|\\\\[1-9kKRXGZhHVEQ]|\\\\p\\{(java|Is|In)");

    private static InsightQuery.PathCleaning rule(JsonNode node, String field) {
        ObjectNode r = QueryGrammar.object(node, field);
        QueryGrammar.allowOnly(r, field, "regex", "replacement");
        String regex = QueryGrammar.text(r.get("regex"), field + ".regex", true);
        String replacement = r.hasNonNull("replacement") ? QueryGrammar.text(r.get("replacement"), field + ".replacement", true) : "";
        if (regex.isEmpty() || regex.length() > MAX_RULE_TEXT) {
            throw new InvalidQueryException(field + ".regex", "must be 1–" + MAX_RULE_TEXT + " characters");
        }
        if (replacement.length() > MAX_RULE_TEXT) {
            throw new InvalidQueryException(field + ".replacement", "must be at most " + MAX_RULE_TEXT + " characters");
        }
        if (regex.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || replacement.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidQueryException(field, "control characters are not allowed (write \\t, \\n as regex escapes)");
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidQueryException(field + ".regex", "not a valid regular expression: " + e.getDescription());
        }
        int groups = compiled.matcher("").groupCount();
        Matcher m = NOT_RE2.matcher(regex);
        if (m.find()) {
            throw new InvalidQueryException(field + ".regex", "'" + PropertyRef.printable(m.group())
                    + "' is not RE2 syntax (no look-around, back-references, possessive quantifiers, \\Q…\\E or Java classes)");
        }
        if (EmptyMatch.possible(compiled)) {
            // ClickHouse versions disagree on where an empty match is replaced (docs/analysis-semantics.md, "Paths")
            throw new InvalidQueryException(field + ".regex", "must not match the empty string (write [0-9]+, not [0-9]*)");
        }
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\') {
                continue;
            }
            char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : ' ';
            if (next == '\\') {
                i++;
            } else if (next >= '0' && next <= '9' && next - '0' <= groups) {
                i++;
            } else {
                throw new InvalidQueryException(field + ".replacement", "a backslash must be followed by a group number 0–" + groups
                        + " or another backslash");
            }
        }
        return new InsightQuery.PathCleaning(regex, replacement);
    }
}
