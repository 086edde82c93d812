package io.beacon.analytics.trends;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.Aggregation;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.FilterSql;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.PropertyRef;
import io.beacon.analytics.query.Series;
import io.beacon.analytics.query.SqlLiterals;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one trend series over one range (pure). Result columns: {@code bucket} (see
 * {@link io.beacon.analytics.query.Interval#bucketSql}), {@code bd} when broken down, and {@code value}.
 *
 * <pre>
 * SELECT bucket[, if(bd_raw IN (top N by count(), ties by value), bd_raw, '$other') AS bd], &lt;aggregate&gt; AS value
 * FROM (SELECT &lt;bucket&gt; AS bucket[, &lt;breakdown&gt; AS bd_raw][, toFloat64OrNull(&lt;property&gt;) AS vlt;property as a numbertoFloat64OrNull(&lt;property&gt;) AS vgt; AS v][, person]
 *       FROM events FINAL WHERE project, range, event name, series filters, global filters)
 * GROUP BY bucket[, bd] ORDER BY bucket[, bd]
 * </pre>
 *
 * <p>A broken-down {@code total} is computed in one scan instead ({@link #topByArrays}).
 *
 * <p>A breakdown by a person property ({@code person.<key>}) reads the rows with their resolved {@code person} and
 * joins the person's current value as {@code bd_raw} ({@link EventSource#withPersonProperty}; {@code ''} without
 * it); ranking, {@code $other} and the aggregates are the same as for an event property.
 */
public final class TrendsSql {
    private TrendsSql() {
    }

    public static String series(String projectId, InsightQuery.Trends q, Series s, DateRange range) {
        List<Filter> filters = new ArrayList<>(q.filters());
        filters.addAll(s.events().filters());
        String condition = s.events().event() == null ? "1" : "event_name = " + SqlLiterals.string(s.events().event());
        List<String> cols = new ArrayList<>();
        cols.add(q.interval().bucketSql("event_time", q.zone()) + " AS bucket");
        Breakdown b = q.breakdown();
        boolean byPerson = b != null && b.property().kind() == PropertyRef.Kind.PERSON_PROPERTY;
        if (b != null && !byPerson) {
            cols.add(b.property().eventExpression() + " AS bd_raw");
        }
        if (s.math().needsProperty()) {
            cols.add(FilterSql.numeric(s.property().eventExpression()) + " AS v");
        }
        String inner = EventSource.select(projectId, range, String.join(", ", cols), s.math().needsPerson() || byPerson, condition, filters);
        if (b == null) {
            return "SELECT bucket, " + s.math().sql() + " AS value\nFROM (\n  " + inner + "\n)\nGROUP BY bucket\nORDER BY bucket";
        }
        if (byPerson) {
            // The person's current value for every event of the person (joined after the scan).
            inner = EventSource.withPersonProperty(inner, "bucket, " + (s.math().needsProperty() ? "v, " : "") + "person", projectId,
                    b.property().name(), "bd_raw");
        }
        if (s.math() == Aggregation.TOTAL) {
            return topByArrays(inner, b.limit());
        }
        String topInner = byPerson ? inner
                : EventSource.select(projectId, range, b.property().eventExpression() + " AS bd_raw", false, condition, filters);
        String top = "SELECT bd_raw FROM (\n    " + topInner + "\n  ) GROUP BY bd_raw ORDER BY count() DESC, bd_raw ASC LIMIT " + b.limit();
        return "SELECT bucket, if(bd_raw IN (" + top + "), bd_raw, " + SqlLiterals.string(Breakdown.OTHER) + ") AS bd, "
                + s.math().sql() + " AS value\nFROM (\n  " + inner + "\n)\nGROUP BY bucket, bd\nORDER BY bucket, bd";
    }

    /**
     * A count broken down in one scan: counts per (bucket, value), then per value its total and its (bucket, count)
     * pairs; all values in one row sorted by (total descending, value) give each value its rank, and the pairs
     * of ranks beyond {@code limit} are summed into {@value Breakdown#OTHER}. Counts are additive, so merging the
     * lines equals counting the merged events; the {@code IN (top values)} form would read the events twice.
     */
    static String topByArrays(String inner, int limit) {
        return "SELECT tupleElement(pair, 1) AS bucket, if(rank <= " + limit + ", v, " + SqlLiterals.string(Breakdown.OTHER)
                + ") AS bd, toFloat64(sum(tupleElement(pair, 2))) AS value\nFROM (\n SELECT v, rank, pairs FROM (\n"
                + "  SELECT arraySort((x, t) -> (-t, x), groupArray(v), groupArray(n)) AS sv,\n"
                + "   arraySort((x, y, t) -> (-t, y), groupArray(pairs), groupArray(v), groupArray(n)) AS sp\n"
                + "  FROM (\n   SELECT v, sum(c) AS n, groupArray((bucket, c)) AS pairs FROM (\n"
                + "    SELECT bucket, bd_raw AS v, count() AS c FROM (\n  " + inner + "\n    ) GROUP BY bucket, v\n   ) GROUP BY v\n  )\n"
                + " ) ARRAY JOIN sv AS v, sp AS pairs, arrayEnumerate(sv) AS rank\n) ARRAY JOIN pairs AS pair\n"
                + "GROUP BY bucket, bd\nORDER BY bucket, bd";
    }
}
