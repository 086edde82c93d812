package io.beacon.analytics.trends;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.Interval;
import io.beacon.analytics.query.Series;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a trends query: one statement per series (and per period when comparing), then fills empty
 * buckets ({@code 0} for counts/sums, {@code null} for averages, extremes and quantiles), orders breakdown
 * lines (by their sum, descending; ties by value in {@link Breakdown#VALUE_ORDER}, the order the SQL ranks them in;
 * {@code $other} last) and evaluates the formula.
 */
public final class Trends {
    private Trends() {
    }

    public static TrendsResult run(String projectId, InsightQuery.Trends q, SqlRunner runner) {
        long start = System.nanoTime();
        Timed timed = new Timed(runner);
        List<String> labels = q.interval().labels(q.range().from(), q.range().to(), q.zone());
        List<TrendsResult.Line> lines = new ArrayList<>();
        for (Series s : q.series()) {
            lines.addAll(lines(projectId, q, s, q.range(), "current", timed));
        }
        if (q.compare()) {
            for (Series s : q.series()) {
                lines.addAll(lines(projectId, q, s, q.range().previous(), "previous", timed));
            }
        }
        List<TrendsResult.Line> formula = q.formula() == null ? List.of() : formula(q, lines, labels.size());
        List<String> display = labels.stream().map(l -> q.interval().display(l, q.zone())).toList();
        return new TrendsResult("trends", q.zone().getId(), q.interval().wire(), display, lines, formula, timed.stats(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static List<TrendsResult.Line> lines(String projectId, InsightQuery.Trends q, Series s, DateRange range, String period,
                                                 Timed timed) {
        Interval interval = q.interval();
        List<String> labels = interval.labels(range.from(), range.to(), q.zone());
        QueryResult r = timed.run(TrendsSql.series(projectId, q, s, range));
        Map<String, Map<String, Double>> byValue = new LinkedHashMap<>();
        boolean broken = q.breakdown() != null;
        for (Map<String, String> row : r.asMaps()) {
            String key = broken ? row.get("bd") : "";
            byValue.computeIfAbsent(key, k -> new HashMap<>()).put(row.get("bucket"), number(row.get("value")));
        }
        if (!broken && byValue.isEmpty()) {
            byValue.put("", Map.of());
        }
        boolean zeroWhenEmpty = switch (s.math()) {
            case TOTAL, UNIQUE_PERSONS, SUM -> true;
            default -> false;
        };
        List<TrendsResult.Line> out = new ArrayList<>();
        List<String> display = labels.stream().map(l -> interval.display(l, q.zone())).toList();
        for (Map.Entry<String, Map<String, Double>> e : byValue.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String label : labels) {
                Double v = e.getValue().get(label);
                values.add(v == null && zeroWhenEmpty ? Double.valueOf(0) : v);
            }
            out.add(new TrendsResult.Line(s.name(), s.events().event(), s.math().wire(), broken ? e.getKey() : null, period, display, values));
        }
        if (broken) {
            out.sort(Comparator.comparing((TrendsResult.Line l) -> Breakdown.OTHER.equals(l.breakdownValue()))
                    .thenComparing(l -> -l.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).sum())
                    .thenComparing(TrendsResult.Line::breakdownValue, Breakdown.VALUE_ORDER));
        }
        return out;
    }

    private static List<TrendsResult.Line> formula(InsightQuery.Trends q, List<TrendsResult.Line> lines, int buckets) {
        List<TrendsResult.Line> out = new ArrayList<>();
        for (String period : q.compare() ? List.of("current", "previous") : List.of("current")) {
            Map<String, Map<String, TrendsResult.Line>> byBreakdown = new LinkedHashMap<>();
            for (TrendsResult.Line l : lines) {
                if (l.period().equals(period)) {
                    byBreakdown.computeIfAbsent(Objects.requireNonNullElse(l.breakdownValue(), ""), k -> new HashMap<>()).put(l.series(), l);
                }
            }
            for (Map.Entry<String, Map<String, TrendsResult.Line>> e : byBreakdown.entrySet()) {
                List<Double> values = new ArrayList<>();
                List<String> labels = e.getValue().values().iterator().next().labels();
                for (int i = 0; i < labels.size(); i++) {
                    Map<String, Double> vars = new HashMap<>();
                    for (Map.Entry<String, TrendsResult.Line> s : e.getValue().entrySet()) {
                        vars.put(s.getKey(), s.getValue().values().get(i));
                    }
                    values.add(q.formula().evaluate(vars));
                }
                out.add(new TrendsResult.Line("formula", null, q.formula().text(), q.breakdown() == null ? null : e.getKey(), period, labels, values));
            }
        }
        return out;
    }

    private static Double number(String text) {
        if (text == null || text.equals("\\N") || text.equals("nan") || text.equals("inf") || text.equals("-inf")) {
            return null;
        }
        return Double.parseDouble(text);
    }
}
