package io.beacon.analytics.retention;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.Interval;
import io.beacon.analytics.query.SqlLiterals;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a retention query (pure), ClickHouse 18.16-compatible. Every event is mapped to an integer
 * <em>period index</em> of its local period in the query zone ({@link #periodIndexSql}; consecutive periods
 * have consecutive indexes, so offsets are differences). Per resolved person: the distinct start periods
 * and the distinct return periods; cohort rows are (person, start period) pairs — every start period
 * (recurring) or only the period of the person's first-ever start event when that lies in the range
 * (first time); then per cohort period the number of persons and, per offset k, those with a return in
 * period cohort+k ("on") or in any period ≥ cohort+k ("on or after").
 *
 * <pre>
 * SELECT cohort, count() AS size, sum(has(returns, cohort + 0)) AS r0, …
 * FROM (SELECT person, arrayJoin(starts) AS cohort, returns
 *       FROM (SELECT person, groupUniqArrayIf(pi, s = 1 AND in_range = 1) AS starts,
 *                    groupUniqArrayIf(pi, r = 1 AND in_range = 1) AS returns[, minIf(event_time, s = 1) AS first_t]
 *             FROM (SELECT &lt;period index&gt; AS pi, start AS s, return AS r, in_range, event_time, person
 *                   FROM events WHERE project, time, (start OR return), global filters)  -- no FINAL: copies change nothing
 *             GROUP BY person))
 * GROUP BY cohort ORDER BY cohort
 * </pre>
 */
public final class RetentionSql {
    private RetentionSql() {
    }

    /**
     * The period index of {@code timeColumn} in {@code zone}: day → days since 1970-01-01 of the local date;
     * week → {@code (days of the local Monday + 3) / 7} (1970-01-01 was a Thursday, so Mondays map to
     * consecutive integers); month → {@code year × 12 + month} of the local date.
     */
    public static String periodIndexSql(Interval period, String timeColumn, ZoneId zone) {
        String date = "toDate(" + timeColumn + ", " + SqlLiterals.string(zone.getId()) + ")";
        return switch (period) {
            case DAY -> "toUInt32(" + date + ")";
            case WEEK -> "intDiv(toUInt32(toMonday(" + date + ")) + 3, 7)";
            case MONTH -> "(toUInt32(toYear(" + date + ")) * 12 + toUInt32(toMonth(" + date + ")))";
            case HOUR -> throw new IllegalArgumentException("retention periods are day, week or month");
        };
    }

    /** The same index in Java for a local date (the period containing it). */
    public static long periodIndex(Interval period, LocalDate date) {
        return switch (period) {
            case DAY -> date.toEpochDay();
            case WEEK -> Math.floorDiv(date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay() + 3, 7);
            case MONTH -> date.getYear() * 12L + date.getMonthValue();
            case HOUR -> throw new IllegalArgumentException("retention periods are day, week or month");
        };
    }

    /**
     * One row per cohort period with at least one member: {@code cohort} (period index), {@code size}
     * (persons), {@code r0..r(N-1)} (persons returning at offset k).
     */
    public static String cohorts(String projectId, InsightQuery.Retention q) {
        String start = q.start().sql("person", projectId);
        String ret = q.returning().sql("person", projectId);
        DateRange range = q.range();
        // First time: the start events before the range decide whether the person's first start is in it,
        // so the source reads all history before the end of the range; in_range keeps returns/starts inside.
        DateRange read = q.firstTime() ? new DateRange(Instant.EPOCH, range.to(), range.localFrom(), range.localTo(), range.zone()) : range;
        String inRange = q.firstTime() ? "toUInt8(event_time >= " + SqlLiterals.dateTime(range.from()) + ")" : "toUInt8(1)";
        List<String> cols = new ArrayList<>();
        cols.add(periodIndexSql(q.period(), "event_time", q.zone()) + " AS pi");
        cols.add("toUInt8(" + start + ") AS s");
        cols.add("toUInt8(" + ret + ") AS r");
        cols.add(inRange + " AS in_range");
        cols.add("event_time AS t");
        // Without FINAL: a re-sent copy has the same person and period, and only sets of periods and the
        // earliest start are kept per person, so copies cannot change a number.
        String events = EventSource.select(projectId, read, String.join(", ", cols), true, "(" + start + ") OR (" + ret + ")", q.filters(),
                false);

        List<String> perPerson = new ArrayList<>();
        perPerson.add("person");
        perPerson.add("groupUniqArrayIf(pi, s = 1 AND in_range = 1) AS starts");
        perPerson.add("groupUniqArrayIf(pi, r = 1 AND in_range = 1) AS returns");
        if (q.firstTime()) {
            perPerson.add("minIf(pi, s = 1) AS first_pi");
            perPerson.add("minIf(t, s = 1) AS first_t");
        }
        String people = "SELECT " + String.join(", ", perPerson) + "\n  FROM (\n  " + events + "\n  )\n  GROUP BY person";

        String cohortRows = q.firstTime()
                ? "SELECT person, first_pi AS cohort, returns\n FROM (\n " + people + "\n )\n WHERE first_t >= " + SqlLiterals.dateTime(range.from())
                  + " AND has(starts, first_pi)"
                : "SELECT person, arrayJoin(starts) AS cohort, returns\n FROM (\n " + people + "\n )";

        List<String> out = new ArrayList<>();
        out.add("cohort");
        out.add("count() AS size");
        for (int k = 0; k < q.periods(); k++) {
            String target = "cohort + " + k;
            out.add((q.onOrAfter() ? "sum(arrayExists(x -> x >= " + target + ", returns))" : "sum(has(returns, " + target + "))") + " AS r" + k);
        }
        return "SELECT " + String.join(", ", out) + "\nFROM (\n " + cohortRows + "\n)\nGROUP BY cohort\nORDER BY cohort";
    }
}
