package io.beacon.analytics.funnels;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.EventSelector;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.SqlLiterals;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a funnel (pure), ClickHouse 18.16-compatible (no {@code windowFunnel} modes): each person's
 * events become arrays sorted by {@code (event_time_ms, event_id)}; attempts start at every step-1 event;
 * step positions are chained with {@code arrayFirstIndex}/{@code arrayMap} lambdas; the best attempt
 * (deepest, then earliest start) gives the person's level, step times and first-touch breakdown value.
 *
 * <p>A position that does not exist is the sentinel {@value #NONE}; {@code ((r + NONE - 1) % NONE) + 1}
 * turns {@code arrayFirstIndex}'s "not found" 0 into it and leaves every real position as it is.
 */
public final class FunnelSql {
    static final long NONE = 1_000_000_000L;

    private FunnelSql() {
    }

    /** One row per person who did step 1: {@code person, level, bd, d2..dN} (milliseconds between steps). */
    public static String perPerson(String projectId, InsightQuery.Funnel q) {
        int n = q.steps().size();
        boolean strict = q.order() == InsightQuery.FunnelOrder.STRICT;
        List<String> cols = new ArrayList<>();
        cols.add("event_time_ms AS t");
        cols.add("event_id AS eid");
        cols.add((q.breakdown() == null ? "''" : q.breakdown().property().eventExpression()) + " AS bd_raw");
        List<String> any = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            String c = q.steps().get(k - 1).sql("person", projectId);
            cols.add("toUInt8(" + c + ") AS s" + k);
            any.add("(" + c + ")");
        }
        for (int e = 0; e < q.exclusions().size(); e++) {
            String c = q.exclusions().get(e).events().sql("person", projectId);
            cols.add("toUInt8(" + c + ") AS x" + e);
            any.add("(" + c + ")");
        }
        // Strict funnels need every event of the person in between; the others only matching events.
        String condition = strict ? "1" : String.join(" OR ", any);
        String events = EventSource.select(projectId, q.range(), String.join(", ", cols), true, condition, q.filters());

        StringBuilder tuple = new StringBuilder("(t, eid, bd_raw");
        for (int k = 1; k <= n; k++) {
            tuple.append(", s").append(k);
        }
        for (int e = 0; e < q.exclusions().size(); e++) {
            tuple.append(", x").append(e);
        }
        tuple.append(')');

        List<String> arrays = new ArrayList<>();
        arrays.add("arrayMap(e -> tupleElement(e, 1), ev) AS ts");
        arrays.add("arrayMap(e -> tupleElement(e, 3), ev) AS bds");
        arrays.add("arrayEnumerate(ev) AS idx");
        for (int k = 1; k <= n; k++) {
            arrays.add("arrayMap(e -> tupleElement(e, " + (3 + k) + "), ev) AS m" + k);
        }
        for (int e = 0; e < q.exclusions().size(); e++) {
            arrays.add("arrayMap(e -> tupleElement(e, " + (4 + n + e) + "), ev) AS xm" + e);
        }
        long w = q.windowMillis();
        List<String> steps = new ArrayList<>();
        String levelExpr;
        if (q.order() == InsightQuery.FunnelOrder.UNORDERED) {
            // Anchors: every event matching some step; a step counts when a matching event is at or after the
            // anchor and within the window of it.
            List<String> anyStep = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                anyStep.add("m" + k + "[i] = 1");
            }
            steps.add("arrayFilter(i -> " + String.join(" OR ", anyStep) + ", idx) AS starts");
            List<String> found = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                found.add("arrayExists((tt, m, j) -> m = 1 AND j >= s AND tt <= ts[s] + " + w + ", ts, m" + k + ", idx)");
            }
            steps.add("arrayMap(s -> " + String.join(" + ", found) + ", starts) AS levels");
            levelExpr = "levels";
        } else {
            steps.add("arrayFilter(i -> m1[i] = 1, idx) AS p1");
            for (int k = 2; k <= n; k++) {
                String next = strict
                        ? "if(m" + k + "[prev + 1] = 1 AND ts[prev + 1] <= ts[s] + " + w + ", prev + 1, " + NONE + ")"
                        : "((arrayFirstIndex((tt, m, j) -> m = 1 AND j > prev AND tt <= ts[s] + " + w + ", ts, m" + k + ", idx) + "
                        + (NONE - 1) + ") % " + NONE + ") + 1";
                steps.add("arrayMap((s, prev) -> " + next + ", p1, p" + (k - 1) + ") AS p" + k);
            }
            List<String> reached = new ArrayList<>();
            List<String> params = new ArrayList<>();
            List<String> arrs = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                reached.add("(q" + k + " < " + NONE + ")");
                params.add("q" + k);
                arrs.add("p" + k);
            }
            String level = String.join(" + ", reached);
            for (int e = 0; e < q.exclusions().size(); e++) {
                InsightQuery.Exclusion ex = q.exclusions().get(e);
                String from = "q" + ex.fromStep();
                String to = "q" + ex.toStep();
                // Discarded: an exclusion event strictly between the from-step and the to-step event, both reached.
                level = "if(" + to + " < " + NONE + " AND arrayExists((x, j) -> x = 1 AND j > " + from + " AND j < " + to
                        + ", xm" + e + ", idx), 0, " + level + ")";
            }
            steps.add("arrayMap((" + String.join(", ", params) + ") -> " + level + ", " + String.join(", ", arrs) + ") AS levels");
            levelExpr = "levels";
        }
        List<String> out = new ArrayList<>();
        out.add("person");
        out.add("arrayReduce('max', arrayConcat([0], " + levelExpr + ")) AS level");
        out.add("arrayFirstIndex(x -> x = level, " + levelExpr + ") AS best");
        if (q.order() == InsightQuery.FunnelOrder.UNORDERED) {
            out.add("bds[starts[best]] AS bd");
            for (int k = 2; k <= n; k++) {
                out.add("toInt64(0) AS d" + k);
            }
        } else {
            out.add("bds[p1[best]] AS bd");
            for (int k = 2; k <= n; k++) {
                out.add("toInt64(ts[p" + k + "[best]]) - toInt64(ts[p" + (k - 1) + "[best]]) AS d" + k);
            }
        }
        return "SELECT " + String.join(", ", out) + "\nFROM (\n SELECT person, " + String.join(",\n  ", arrays) + ",\n  "
                + String.join(",\n  ", steps) + "\n FROM (\n  SELECT person, arraySort(groupArray(" + tuple + ")) AS ev\n  FROM (\n  "
                + events + "\n  )\n  GROUP BY person\n )\n)\nWHERE level >= 1";
    }

    /**
     * The {@code limit} most frequent first-touch breakdown values (persons who entered, descending; ties by
     * value). A separate statement because 18.16 cannot analyse an {@code IN (subquery)} over this subquery.
     */
    public static String topBreakdownValues(String projectId, InsightQuery.Funnel q) {
        return "SELECT bd FROM (\n" + perPerson(projectId, q) + "\n)\nGROUP BY bd\nORDER BY count() DESC, bd ASC\nLIMIT " + q.breakdown().limit();
    }

    /**
     * Per breakdown value ({@code bdv}; values outside {@code topValues} as {@value Breakdown#OTHER}): persons
     * per step ({@code c1..cN}) and the average and median milliseconds from the previous step
     * ({@code avgK}, {@code medK}; {@code quantileExact(0.5)}).
     */
    public static String summary(String projectId, InsightQuery.Funnel q, List<String> topValues) {
        int n = q.steps().size();
        String people = perPerson(projectId, q);
        List<String> cols = new ArrayList<>();
        Breakdown b = q.breakdown();
        if (b == null) {
            cols.add("'' AS bdv");
        } else if (topValues.isEmpty()) {
            cols.add("bd AS bdv");
        } else {
            List<String> literals = topValues.stream().map(SqlLiterals::string).toList();
            cols.add("if(bd IN (" + String.join(", ", literals) + "), bd, " + SqlLiterals.string(Breakdown.OTHER) + ") AS bdv");
        }
        for (int k = 1; k <= n; k++) {
            cols.add("countIf(level >= " + k + ") AS c" + k);
        }
        for (int k = 2; k <= n; k++) {
            cols.add("avgIf(d" + k + ", level >= " + k + ") AS avg" + k);
            cols.add("quantileExactIf(0.5)(d" + k + ", level >= " + k + ") AS med" + k);
        }
        return "SELECT " + String.join(", ", cols) + "\nFROM (\n" + people + "\n)\nGROUP BY bdv\nORDER BY c1 DESC, bdv";
    }

    /** The persons who reached step {@code step} (converted) or reached the step before but not it (dropped). */
    public static String persons(String projectId, InsightQuery.Funnel q, InsightQuery.PersonsAt at) {
        String cond = at.converted() ? "level >= " + at.step() : "level = " + (at.step() - 1);
        return "SELECT person FROM (\n" + perPerson(projectId, q) + "\n)\nWHERE " + cond + "\nORDER BY person\nLIMIT " + at.limit();
    }

    /** Only for the unit tests' readability. */
    static List<EventSelector> steps(InsightQuery.Funnel q) {
        return q.steps();
    }
}
