package io.beacon.analytics.funnels;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.EventSelector;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.PropertyRef;
import io.beacon.analytics.query.SqlLiterals;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a funnel (pure), ClickHouse 18.16-compatible (no {@code windowFunnel} modes, no {@code arrayFold}).
 *
 * <p>Per person: the matching events as arrays in the event order — {@code event_time_ms}, then within one
 * millisecond the first step the event matches, its mask and its breakdown value; never the event id, so the answer
 * does not depend on generated ids — times {@code ts}, a bit mask {@code ms} (bit k−1: matches step k; bit 20 + e:
 * matches exclusion e) and, with a breakdown, the values {@code bds}. Attempts start at every step-1 event
 * ({@code p1}, start times {@code t1}). Ordered: step k of every attempt is the first step-k event after the
 * attempt's step k−1 event (a later step in the same millisecond comes after it in this order); strict: the same
 * event, counted only when no event of the person lies strictly between the two in time — its moment (the rank of
 * its millisecond among the person's, {@code gs}) is at most one more than the previous step's. Taking the first is
 * optimal, and each attempt's chain of positions is nondecreasing in the attempt, so the positions of step k for all
 * attempts are one "next event after" query of a sorted list ({@code p(k−1)}) against another ({@code P_k}, the
 * step-k positions): the two lists are merged by one {@code arraySort} (keys {@code 2·position} and
 * {@code 2·query + 1}, so an event at the query's own position is not "after" it) and the answer is carried back by
 * a cumulative sum of differences in reverse order (Int64; a position past the end and a time {@value #FAR} when
 * there is none). No lambda captures a person's array, so work and memory are O(E log E) per person and step
 * instead of attempts × events.
 *
 * <p>An attempt's level is 1 + the number of steps whose time is within {@code start + window} (times along a
 * chain never decrease, and a missing step leaves every later one missing). Exclusion e is a count of its events
 * strictly between the from- and to-step <em>times</em> (two more merges against the exclusion's times): one in the
 * same millisecond as either step is not between them. The best attempt (deepest, then earliest in the event order)
 * gives the person's level, step times and first-touch breakdown value. Unordered: the anchors are every event
 * matching some step, and step k counts when the first step-k event at or after the anchor is within the anchor's
 * window (for the first anchor of a millisecond: any step-k event of that millisecond or later).
 *
 * <p>A breakdown by a person property ({@code person.<key>}) needs no per-event values: the person's current value
 * ({@code ''} without it) is joined to each person's row ({@link EventSource#withPersonProperty}), so first or
 * last touch make no difference.
 */
public final class FunnelSql {
    /** The time of a step that does not exist: later than any window end. */
    static final long FAR = 1L << 62;
    private static final String FAR_SQL = "toInt64(" + FAR + ")";
    /** The bit of exclusion e in the mask is {@code EXCLUSION_BIT + e} (steps use bits 0..19). */
    static final int EXCLUSION_BIT = 20;

    private FunnelSql() {
    }

    /** One row per person who did step 1: {@code person, level, bd, d2..dN} (milliseconds between steps; {@code bd} last for a person property). */
    public static String perPerson(String projectId, InsightQuery.Funnel q) {
        int n = q.steps().size();
        // A person property is the same on every event of the person: joined once per person at the end.
        boolean byPerson = q.breakdown() != null && q.breakdown().property().kind() == PropertyRef.Kind.PERSON_PROPERTY;
        boolean eventBreakdown = q.breakdown() != null && !byPerson;
        boolean strict = q.order() == InsightQuery.FunnelOrder.STRICT;
        boolean unordered = q.order() == InsightQuery.FunnelOrder.UNORDERED;
        List<String> mask = new ArrayList<>();
        List<String> any = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            String c = q.steps().get(k - 1).sql("person", projectId);
            mask.add("bitShiftLeft(toUInt64(" + c + "), " + (k - 1) + ")");
            any.add("(" + c + ")");
        }
        for (int e = 0; e < q.exclusions().size(); e++) {
            String c = q.exclusions().get(e).events().sql("person", projectId);
            mask.add("bitShiftLeft(toUInt64(" + c + "), " + (EXCLUSION_BIT + e) + ")");
            any.add("(" + c + ")");
        }
        List<String> cols = new ArrayList<>();
        cols.add("event_time_ms AS t");
        cols.add("bitOr(" + String.join(", bitOr(", mask) + ", toUInt64(0)" + ")".repeat(mask.size()) + " AS m");
        if (eventBreakdown) {
            cols.add(q.breakdown().property().eventExpression() + " AS bd_raw");
        }
        // Strict funnels need every event of the person in between; the others only matching events.
        String condition = strict ? "1" : String.join(" OR ", any);
        String events = EventSource.select(projectId, q.range(), String.join(", ", cols), true, condition, q.filters());

        long w = q.windowMillis();
        List<String> a = new ArrayList<>();
        // The event order: time, then (same millisecond) the first step matched, the mask and the breakdown value — never
        // the event id. Events equal in all of these are interchangeable, so the answer does not depend on their order.
        a.add("arraySort(groupArray((t, " + firstStep("m", n) + ", m" + (eventBreakdown ? ", bd_raw" : "") + "))) AS ev");
        a.add("arrayMap(e -> tupleElement(e, 1), ev) AS ts");
        a.add("arrayMap(e -> tupleElement(e, 3), ev) AS ms");
        if (eventBreakdown) {
            a.add("arrayMap(e -> tupleElement(e, 4), ev) AS bds");
        }
        if (strict) {
            // Moment of each event: the number of distinct earlier milliseconds of the person (0, 0, 1, 2, 2, …).
            a.add("arrayCumSum(arrayMap(d -> toInt64(d != 0), arrayDifference(ts))) AS gs");
        }
        a.add("arrayEnumerate(ts) AS idx");
        a.add("toInt64(length(ts) + 1) AS past");
        long stepBits = (1L << n) - 1;
        String startTest = unordered ? "bitAnd(mk, " + stepBits + ") != 0" : "bitTest(mk, 0)";
        a.add("arrayFilter((i, mk) -> " + startTest + ", idx, ms) AS p1");
        a.add("arrayFilter((tt, mk) -> " + startTest + ", ts, ms) AS t1");
        a.add("arrayMap(tt -> toInt64(tt) + " + w + ", t1) AS lim");
        if (strict) {
            a.add("arrayFilter((g, mk) -> bitTest(mk, 0), gs, ms) AS g1");
        }
        if (eventBreakdown) {
            a.add("arrayFilter((b, mk) -> " + startTest + ", bds, ms) AS b1");
        }
        List<String> level = new ArrayList<>();
        if (unordered) {
            for (int k = 1; k <= n; k++) {
                // First step-k event at or after the anchor (2·query before 2·position + 1 at the same position).
                next(a, "u" + k, "p1", k - 1, true, false);
                a.add("arrayMap((x, l) -> toUInt8(x <= l), u" + k + "t, lim) AS f" + k);
                level.add("f" + k);
            }
        } else {
            for (int k = 2; k <= n; k++) {
                String prev = k == 2 ? "p1" : "p" + (k - 1);
                next(a, "n" + k, prev, k - 1, false, strict);
                a.add("n" + k + "p AS p" + k);
                if (strict) {
                    // The chain keeps the first step-k event (positions stay sorted for the next merge); the step only
                    // counts when no event of the person lies strictly between the two steps in time (its moment is
                    // the previous step's or the next one) and the previous step counted.
                    String prevT = k == 2 ? "t1" : "t" + (k - 1);
                    String prevG = k == 2 ? "g1" : "n" + (k - 1) + "g";
                    a.add("arrayMap((tt, g, pg, pt) -> if(g <= pg + 1 AND toInt64(pt) < " + FAR_SQL + ", tt, " + FAR_SQL + "), n" + k + "t, n" + k
                            + "g, " + prevG + ", " + prevT + ") AS t" + k);
                } else {
                    a.add("n" + k + "t AS t" + k);
                }
                a.add("arrayMap((x, l) -> toUInt8(x <= l), t" + k + ", lim) AS f" + k);
                level.add("f" + k);
            }
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < level.size(); i++) {
            params.add("y" + i); // lambda parameters must not reuse an alias of this SELECT
        }
        String levels = unordered
                ? "arrayMap((" + String.join(", ", params) + ") -> " + String.join(" + ", params) + ", " + String.join(", ", level) + ")"
                : (n == 1 ? "arrayMap(x -> 1, p1)" : "arrayMap((" + String.join(", ", params) + ") -> 1 + " + String.join(" + ", params) + ", "
                        + String.join(", ", level) + ")");
        a.add(levels + " AS lv0");
        String lv = "lv0";
        for (int e = 0; e < q.exclusions().size(); e++) {
            InsightQuery.Exclusion ex = q.exclusions().get(e);
            // The chain's step times (sorted like its positions; the counts matter only where both steps counted).
            String from = ex.fromStep() == 1 ? "t1" : "n" + ex.fromStep() + "t";
            String to = "n" + ex.toStep() + "t";
            int bit = EXCLUSION_BIT + e;
            // Exclusion events at times ≤ the from-step event's, and < the to-step event's: strictly between in time.
            count(a, "xa" + e, from, bit, true);
            count(a, "xb" + e, to, bit, false);
            a.add("arrayMap((v, x1, x2) -> if(v >= " + ex.toStep() + " AND x2 > x1, 0, v), " + lv + ", xa" + e + ", xb" + e + ") AS lv" + (e + 1));
            lv = "lv" + (e + 1);
        }
        a.add(lv + " AS levels");

        List<String> out = new ArrayList<>();
        out.add("person");
        out.add("arrayReduce('max', arrayConcat([0], levels)) AS level");
        out.add("arrayFirstIndex(x -> x = level, levels) AS best");
        if (!byPerson) {
            out.add((eventBreakdown ? "b1[best]" : "''") + " AS bd");
        }
        List<String> durations = new ArrayList<>();
        for (int k = 2; k <= n; k++) {
            out.add(unordered ? "toInt64(0) AS d" + k : "toInt64(t" + k + "[best]) - toInt64(t" + (k - 1) + "[best]) AS d" + k);
            durations.add("d" + k);
        }
        String perPerson = "SELECT " + String.join(", ", out) + "\nFROM (\n SELECT person,\n  " + String.join(",\n  ", a) + "\n FROM (\n  "
                + events + "\n )\n GROUP BY person\n)\nWHERE level >= 1";
        if (!byPerson) {
            return perPerson;
        }
        List<String> keep = new ArrayList<>(List.of("person", "level"));
        keep.addAll(durations);
        return EventSource.withPersonProperty(perPerson, String.join(", ", keep), projectId, q.breakdown().property().name(), "bd");
    }

    /**
     * The sort key of an event within its millisecond: the first step its mask {@code m} matches (0-based; {@code n}
     * for none), so that a later step in the same millisecond comes after an earlier one and converts.
     */
    static String firstStep(String m, int n) {
        StringBuilder sb = new StringBuilder("multiIf(");
        for (int k = 0; k < n; k++) {
            sb.append("bitTest(").append(m).append(", ").append(k).append("), ").append(k).append(", ");
        }
        return sb.append(n).append(")").toString();
    }

    /**
     * Aliases {@code <name>p} and {@code <name>t} (and {@code <name>g} with {@code moments}): for every position q of
     * the sorted list {@code queries}, the first event matching {@code bit} after q ({@code atOrAfter}: at or after),
     * its position ({@code past} when there is none), its time ({@value #FAR}) and its moment ({@code gs}; {@value #FAR}).
     * Merge by one sort, answer by a reverse cumulative sum of differences.
     */
    private static void next(List<String> a, String name, String queries, int bit, boolean atOrAfter, boolean moments) {
        String pos = "arrayFilter((i, mk) -> bitTest(mk, " + bit + "), idx, ms)";
        String tim = "arrayFilter((tt, mk) -> bitTest(mk, " + bit + "), ts, ms)";
        String mom = "arrayFilter((g, mk) -> bitTest(mk, " + bit + "), gs, ms)";
        String evKey = atOrAfter ? "2 * x + 1" : "2 * x";
        String qKey = atOrAfter ? "2 * x" : "2 * x + 1";
        a.add(pos + " AS " + name + "P");
        a.add(tim + " AS " + name + "T");
        if (moments) {
            a.add(mom + " AS " + name + "G");
        }
        String carried = "(x, y, z" + (moments ? ", v" : "") + ") -> (toInt64(" + evKey + "), y, z" + (moments ? ", v" : "") + ")";
        String diffs = name + "P, " + reverseDifferences(name + "P", "past") + ", " + reverseDifferences(name + "T", FAR_SQL)
                + (moments ? ", " + reverseDifferences(name + "G", FAR_SQL) : "");
        String query = "x -> (toInt64(" + qKey + "), toInt64(0), toInt64(0)" + (moments ? ", toInt64(0)" : "") + ")";
        a.add("arrayReverse(arraySort(arrayConcat(arrayMap(" + carried + ", " + diffs + "), arrayMap(" + query + ", " + queries + ")))) AS "
                + name + "M");
        a.add("arrayMap(x -> tupleElement(x, 1) % 2 = " + (atOrAfter ? 0 : 1) + ", " + name + "M) AS " + name + "Q");
        a.add(carriedBack(name, 2, "past") + " AS " + name + "p");
        a.add(carriedBack(name, 3, FAR_SQL) + " AS " + name + "t");
        if (moments) {
            a.add(carriedBack(name, 4, FAR_SQL) + " AS " + name + "g");
        }
    }

    /** Differences of {@code values} in descending order, the first against the "none" value {@code none}. */
    private static String reverseDifferences(String values, String none) {
        return "arrayReverse(arrayPopFront(arrayDifference(arrayPushFront(arrayMap(x -> toInt64(x), arrayReverse(" + values + ")), " + none
                + "))))";
    }

    /** Per query of merge {@code name}: the value of the next event (tuple element {@code element}), {@code none} without one. */
    private static String carriedBack(String name, int element, String none) {
        return "arrayReverse(arrayFilter((v, f) -> f, arrayMap(c -> c + " + none + ", arrayCumSum(arrayMap(x -> tupleElement(x, " + element + "), "
                + name + "M))), " + name + "Q))";
    }

    /**
     * Alias {@code name}: for every time q of the sorted list {@code queries}, the number of events matching
     * {@code bit} at times ≤ q ({@code inclusive}) or &lt; q. Merge by one sort, a cumulative count.
     */
    private static void count(List<String> a, String name, String queries, int bit, boolean inclusive) {
        String evFlag = inclusive ? "0" : "1";
        String qFlag = inclusive ? "1" : "0";
        a.add("arraySort(arrayConcat(arrayMap(x -> (toInt64(x), toUInt8(" + evFlag + "), toInt64(1)), arrayFilter((tt, mk) -> bitTest(mk, " + bit
                + "), ts, ms)), arrayMap(x -> (toInt64(x), toUInt8(" + qFlag + "), toInt64(0)), " + queries + "))) AS " + name + "M");
        a.add("arrayFilter((c, x) -> tupleElement(x, 3) = 0, arrayCumSum(arrayMap(x -> tupleElement(x, 3), " + name + "M)), " + name + "M) AS "
                + name);
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
