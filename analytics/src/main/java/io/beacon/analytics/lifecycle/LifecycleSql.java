package io.beacon.analytics.lifecycle;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.Interval;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.analytics.retention.RetentionSql;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The SQL of a lifecycle query (pure, ClickHouse 18.16-compatible). Events get the integer period index
 * of their local period ({@link RetentionSql#periodIndexSql}: consecutive periods differ by 1). Per
 * resolved person: {@code first_pi}, the period of the first-ever matching event (all history before the
 * range end), and {@code active}, the periods with a matching event from the start of the period before
 * the first one ({@code P0 − 1}) to the range end. Each active period P ≥ P0 yields {@code new} (P =
 * first_pi), {@code returning} (P − 1 active) or {@code resurrecting}; each active period P − 1 whose
 * successor P (P0 ≤ P ≤ PN) is not active yields {@code dormant} in P.
 */
public final class LifecycleSql {
    private LifecycleSql() {
    }

    /** The first and the last period index of the range (the periods touching it). */
    static long[] periods(InsightQuery.Lifecycle q) {
        List<String> labels = q.interval().labels(q.range().from(), q.range().to(), q.zone());
        return new long[]{RetentionSql.periodIndex(q.interval(), LocalDate.parse(labels.get(0))),
                RetentionSql.periodIndex(q.interval(), LocalDate.parse(labels.get(labels.size() - 1)))};
    }

    /** The local start of the period before the first period touching the range. */
    static Instant windowStart(InsightQuery.Lifecycle q) {
        LocalDate first = LocalDate.parse(q.interval().labels(q.range().from(), q.range().to(), q.zone()).get(0));
        LocalDate before = switch (q.interval()) {
            case DAY -> first.minusDays(1);
            case WEEK -> first.minusWeeks(1);
            case MONTH -> first.minusMonths(1);
            case HOUR -> throw new IllegalArgumentException("lifecycle intervals are day, week or month");
        };
        return before.atStartOfDay(q.zone()).toInstant();
    }

    /** One row per (period index, status) with persons: {@code period, status, persons}. */
    public static String statuses(String projectId, InsightQuery.Lifecycle q) {
        long[] bounds = periods(q);
        DateRange range = q.range();
        DateRange history = new DateRange(Instant.EPOCH, range.to(), range.localFrom(), range.localTo(), range.zone());
        String cols = "toInt64(" + RetentionSql.periodIndexSql(q.interval(), "event_time", q.zone()) + ") AS pi, event_time AS t";
        String events = EventSource.select(projectId, history, cols, true, q.event().sql("person", projectId), q.filters());
        String p0 = Long.toString(bounds[0]);
        String pn = Long.toString(bounds[1]);
        String perPerson = "SELECT person, min(pi) AS first_pi, groupUniqArrayIf(pi, t >= " + SqlLiterals.dateTime(windowStart(q))
                + ") AS active\n  FROM (\n  " + events + "\n  )\n  GROUP BY person";
        // 18.16 cannot capture a scalar column in a lambda ("Unknown identifier"), so the lambdas only tag each
        // active period (kind 0: active here; kind 1: active in the period before → candidate dormant) and the
        // classification runs on the arrayJoin-ed rows.
        String p = "tupleElement(s, 1)";
        String kind = "tupleElement(s, 2)";
        return "SELECT " + p + " AS period, status, count() AS persons\nFROM (\n"
                + " SELECT s, multiIf(" + kind + " = 1, 'dormant', " + p + " = first_pi, 'new', has(active, " + p + " - 1), 'returning',"
                + " 'resurrecting') AS status\n"
                + " FROM (\n  SELECT first_pi, active, arrayJoin(arrayConcat(arrayMap(x -> (x, 0), active), arrayMap(x -> (x + 1, 1), active))) AS s\n"
                + "  FROM (\n  " + perPerson + "\n  )\n )\n"
                + " WHERE " + p + " >= " + p0 + " AND " + p + " <= " + pn + " AND NOT (" + kind + " = 1 AND has(active, " + p + "))\n)\n"
                + "GROUP BY period, status\nORDER BY period, status";
    }

    /** For the unit tests. */
    static long index(Interval interval, LocalDate date) {
        return RetentionSql.periodIndex(interval, date);
    }
}
