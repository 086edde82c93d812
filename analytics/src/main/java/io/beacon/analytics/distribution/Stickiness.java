package io.beacon.analytics.distribution;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs stickiness: one statement, then every k = 1..(intervals touching the range) is listed, zeros included. */
public final class Stickiness {
    private Stickiness() {
    }

    public static StickinessResult run(String projectId, InsightQuery.Stickiness q, SqlRunner runner) {
        long started = System.nanoTime();
        Timed timed = new Timed(runner);
        int intervals = q.interval().labels(q.range().from(), q.range().to(), q.zone()).size();
        QueryResult r = timed.run(DistributionSql.activeIntervals(projectId, q));
        long[] persons = new long[intervals + 1];
        long total = 0;
        for (Map<String, String> row : r.asMaps()) {
            int k = Integer.parseInt(row.get("intervals"));
            long p = Long.parseLong(row.get("persons"));
            persons[k] += p;
            total += p;
        }
        List<StickinessResult.Count> counts = new ArrayList<>();
        for (int k = 1; k <= intervals; k++) {
            counts.add(new StickinessResult.Count(k, persons[k]));
        }
        return new StickinessResult("stickiness", q.zone().getId(), q.interval().wire(), intervals, total, counts, timed.stats(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
