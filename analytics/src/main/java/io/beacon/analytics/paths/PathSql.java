package io.beacon.analytics.paths;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.EventSelector;
import io.beacon.analytics.query.FilterSql;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.SqlLiterals;

/**
 * The SQL of a paths query (pure), ClickHouse 18.16-compatible. Per session ({@code session_id}, not empty):
 * the session's events in the range that pass the event-type choice and the global filters become one
 * array sorted by {@code (event_time_ms, event_id)}, each element carrying its label (event name or cleaned
 * URL) and whether it matches the anchor definition. The anchor is the first matching element (start: the
 * path runs from it; end: the path runs up to it; neither: the session's first event). Consecutive equal
 * labels are optionally collapsed to one, then the path is cut to {@code depth + 1} labels next to the
 * anchor. Every position of every path becomes a row {@code (step, source, target, last)}; the result
 * counts sessions per row.
 *
 * <pre>
 * SELECT step, source, target, last, count() AS sessions
 * FROM (SELECT arrayJoin(arrayEnumerate(path)) AS i, &lt;step of i&gt; AS step, path[i] AS source,
 *              toUInt8(i = length(path)) AS last, if(i &lt; length(path), path[i + 1], '') AS target
 *       FROM (SELECT &lt;cut(collapse(suffix or prefix at the anchor))&gt; AS path
 *             FROM (SELECT session_id, arraySort(groupArray((t, eid, label, a))) AS ev FROM (&lt;events&gt;) GROUP BY session_id)
 *             WHERE anchor &gt; 0))
 * GROUP BY step, source, target, last
 * </pre>
 */
public final class PathSql {
    /** Statements returning more rows than this are refused (the analysis is then too fine-grained). */
    public static final int MAX_ROWS = 200_000;

    private PathSql() {
    }

    /** The label expression of a row of {@code events}: event name, or the cleaned URL / screen name. */
    static String label(InsightQuery.Paths q) {
        String url = "if(page_path != '', page_path, page_url)";
        String screen = "if(" + property("$screen_name") + " != '', " + property("$screen_name") + ", page_title)";
        String cleanUrl = clean(q, url);
        String cleanScreen = clean(q, screen);
        String pageLabel = "if(" + cleanUrl + " != '', " + cleanUrl + ", event_name)";
        String screenLabel = "if(" + cleanScreen + " != '', " + cleanScreen + ", event_name)";
        return switch (q.events()) {
            case PAGEVIEWS -> pageLabel;
            case SCREENS -> screenLabel;
            case ALL -> "multiIf(event_name = '$pageview', " + pageLabel + ", event_name = '$screen', " + screenLabel + ", event_name)";
        };
    }

    private static String property(String key) {
        return "properties.value[indexOf(properties.key, " + SqlLiterals.string(key) + ")]";
    }

    /** The cleaning rules applied in order, each with {@code replaceRegexpAll}; pattern and replacement as escaped literals. */
    static String clean(InsightQuery.Paths q, String expr) {
        String out = expr;
        for (InsightQuery.PathCleaning rule : q.cleaning()) {
            out = "replaceRegexpAll(" + out + ", " + SqlLiterals.string(rule.regex()) + ", " + SqlLiterals.string(rule.replacement()) + ")";
        }
        return out;
    }

    private static String eventTypes(InsightQuery.Paths q) {
        return switch (q.events()) {
            case PAGEVIEWS -> "event_name = '$pageview'";
            case SCREENS -> "event_name = '$screen'";
            case ALL -> "1";
        };
    }

    /** One row per (step, source, target, last) with the number of sessions; see the class comment. */
    public static String transitions(String projectId, InsightQuery.Paths q) {
        EventSelector anchor = q.start() != null ? q.start() : q.end();
        String mark = anchor == null ? "toUInt8(1)" : "toUInt8(" + anchor.sql("person", projectId) + ")";
        String cols = "event_time_ms AS t, event_id AS eid, session_id, " + label(q) + " AS label, " + mark + " AS a";
        boolean person = anchor != null && FilterSql.needsPerson(anchor.filters());
        String events = EventSource.select(projectId, q.range(), cols, person, "session_id != '' AND " + eventTypes(q), q.filters());
        boolean end = q.end() != null;
        int keep = q.depth() + 1;
        String cut = end ? "arraySlice(labels, 1, anchor)" : "arraySlice(labels, anchor)";
        String collapsed = q.collapseRepeats() ? "arrayFilter((x, j) -> j = 1 OR x != part[j - 1], part, arrayEnumerate(part))" : "part";
        String path = end
                ? "arraySlice(kept, if(length(kept) > " + keep + ", length(kept) - " + q.depth() + ", 1))"
                : "arraySlice(kept, 1, " + keep + ")";
        String step = end ? "toInt32(i) - toInt32(length(path))" : "toInt32(i) - 1";
        return "SELECT step, source, target, last, count() AS sessions\nFROM (\n"
                + " SELECT arrayJoin(arrayEnumerate(path)) AS i, " + step + " AS step, path[i] AS source,\n"
                + "        toUInt8(i = length(path)) AS last, if(i < length(path), path[i + 1], '') AS target\n"
                + " FROM (\n"
                + "  SELECT " + path + " AS path\n"
                + "  FROM (\n"
                + "   SELECT " + collapsed + " AS kept\n"
                + "   FROM (\n"
                + "    SELECT arrayMap(e -> tupleElement(e, 3), ev) AS labels, arrayMap(e -> tupleElement(e, 4), ev) AS marks,\n"
                + "           arrayFirstIndex(m -> m = 1, marks) AS anchor, " + cut + " AS part\n"
                + "    FROM (\n"
                + "     SELECT session_id, arraySort(groupArray((t, eid, label, a))) AS ev\n"
                + "     FROM (\n     " + events + "\n     )\n"
                + "     GROUP BY session_id\n"
                + "    )\n"
                + "    WHERE anchor > 0\n"
                + "   )\n"
                + "  )\n"
                + " )\n"
                + ")\nGROUP BY step, source, target, last\nORDER BY step, sessions DESC, source, target\nLIMIT " + (MAX_ROWS + 1);
    }
}
