package io.beacon.analytics.trends;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.InsightQuery;
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
 * FROM (SELECT &lt;bucket&gt; AS bucket[, &lt;breakdown&gt; AS bd_raw][, toFloat64OrNull(&lt;property&gt;) AS v][, person]
 *       FROM events FINAL WHERE project, range, event name, series filters, global filters)
 * GROUP BY bucket[, bd] ORDER BY bucket[, bd]
 * </pre>
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
        if (b != null) {
            cols.add(b.property().eventExpression() + " AS bd_raw");
        }
        if (s.math().needsProperty()) {
            cols.add("toFloat64OrNull(" + s.property().eventExpression() + ") AS v");
        }
        String inner = EventSource.select(projectId, range, String.join(", ", cols), s.math().needsPerson(), condition, filters);
        if (b == null) {
            return "SELECT bucket, " + s.math().sql() + " AS value\nFROM (\n  " + inner + "\n)\nGROUP BY bucket\nORDER BY bucket";
        }
        String topInner = EventSource.select(projectId, range, b.property().eventExpression() + " AS bd_raw", false, condition, filters);
        String top = "SELECT bd_raw FROM (\n    " + topInner + "\n  ) GROUP BY bd_raw ORDER BY count() DESC, bd_raw ASC LIMIT " + b.limit();
        return "SELECT bucket, if(bd_raw IN (" + top + "), bd_raw, " + SqlLiterals.string(Breakdown.OTHER) + ") AS bd, "
                + s.math().sql() + " AS value\nFROM (\n  " + inner + "\n)\nGROUP BY bucket, bd\nORDER BY bucket, bd";
    }
}
