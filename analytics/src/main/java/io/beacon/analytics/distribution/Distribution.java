package io.beacon.analytics.distribution;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the events-per-person histogram: one statement, then the exact counts are binned into the buckets. */
public final class Distribution {
    private Distribution() {
    }

    public static DistributionResult run(String projectId, InsightQuery.Distribution q, SqlRunner runner) {
        long started = System.nanoTime();
        Timed timed = new Timed(runner);
        QueryResult r = timed.run(DistributionSql.eventsPerPerson(projectId, q));
        List<Long> edges = q.edges();
        long[] persons = new long[edges.size()];
        long total = 0;
        long events = 0;
        for (Map<String, String> row : r.asMaps()) {
            long c = Long.parseLong(row.get("events"));
            long p = Long.parseLong(row.get("persons"));
            total += p;
            events += c * p;
            persons[bucketOf(edges, c)] += p;
        }
        List<DistributionResult.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            long min = edges.get(i);
            Long max = i + 1 < edges.size() ? edges.get(i + 1) - 1 : null;
            String label = max == null ? min + "+" : max == min ? Long.toString(min) : min + "-" + max;
            buckets.add(new DistributionResult.Bucket(label, min, max, persons[i]));
        }
        return new DistributionResult("distribution", q.zone().getId(), total, events, buckets, timed.stats(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The index of the last edge ≤ {@code count} (edges start at 1 and increase; counts are ≥ 1). */
    static int bucketOf(List<Long> edges, long count) {
        int i = 0;
        while (i + 1 < edges.size() && edges.get(i + 1) <= count) {
            i++;
        }
        return i;
    }
}
