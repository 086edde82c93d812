package io.beacon.analytics.retention;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs retention: one statement (see {@link RetentionSql}), then lists every cohort period touching the
 * range (empty ones with size 0), marks offsets not reached yet ({@code null}) and averages per offset.
 */
public final class Retention {
    private Retention() {
    }

    public static RetentionResult run(String projectId, InsightQuery.Retention q, SqlRunner runner) {
        long start = System.nanoTime();
        Timed timed = new Timed(runner);
        QueryResult r = timed.run(RetentionSql.cohorts(projectId, q));
        Map<Long, Map<String, String>> byIndex = new HashMap<>();
        for (Map<String, String> row : r.asMaps()) {
            byIndex.put(Long.parseLong(row.get("cohort")), row);
        }
        List<String> labels = q.period().labels(q.range().from(), q.range().to(), q.zone());
        int n = q.periods();
        List<RetentionResult.Cohort> cohorts = new ArrayList<>();
        long[] sizes = new long[n];
        long[] counts = new long[n];
        int[] reached = new int[n];
        for (int i = 0; i < labels.size(); i++) {
            Map<String, String> row = byIndex.get(RetentionSql.periodIndex(q.period(), LocalDate.parse(labels.get(i))));
            long size = row == null ? 0 : Long.parseLong(row.get("size"));
            List<Long> c = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (i + k >= labels.size()) {
                    c.add(null);
                    rates.add(null);
                    continue;
                }
                long v = row == null ? 0 : Long.parseLong(row.get("r" + k));
                c.add(v);
                rates.add(size == 0 ? null : (double) v / size);
                sizes[k] += size;
                counts[k] += v;
                reached[k]++;
            }
            cohorts.add(new RetentionResult.Cohort(labels.get(i), size, c, rates));
        }
        List<RetentionResult.AveragePoint> average = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            average.add(new RetentionResult.AveragePoint(k, reached[k], sizes[k], counts[k], sizes[k] == 0 ? null : (double) counts[k] / sizes[k]));
        }
        return new RetentionResult("retention", q.zone().getId(), q.period().wire(), n, q.firstTime(), q.onOrAfter(), cohorts, average,
                timed.stats(), (System.nanoTime() - start) / 1_000_000);
    }
}
