package io.beacon.analytics.lifecycle;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs lifecycle: one statement ({@link LifecycleSql#statuses}), then one entry per period touching the range. */
public final class Lifecycle {
    private Lifecycle() {
    }

    public static LifecycleResult run(String projectId, InsightQuery.Lifecycle q, SqlRunner runner) {
        long started = System.nanoTime();
        Timed timed = new Timed(runner);
        QueryResult r = timed.run(LifecycleSql.statuses(projectId, q));
        Map<Long, Map<String, Long>> byPeriod = new HashMap<>();
        for (Map<String, String> row : r.asMaps()) {
            byPeriod.computeIfAbsent(Long.parseLong(row.get("period")), k -> new HashMap<>())
                    .put(row.get("status"), Long.parseLong(row.get("persons")));
        }
        List<LifecycleResult.Period> periods = new ArrayList<>();
        for (String label : q.interval().labels(q.range().from(), q.range().to(), q.zone())) {
            Map<String, Long> s = byPeriod.getOrDefault(LifecycleSql.index(q.interval(), LocalDate.parse(label)), Map.of());
            periods.add(new LifecycleResult.Period(label, s.getOrDefault("new", 0L), s.getOrDefault("returning", 0L),
                    s.getOrDefault("resurrecting", 0L), -s.getOrDefault("dormant", 0L)));
        }
        return new LifecycleResult("lifecycle", q.zone().getId(), q.interval().wire(), periods, timed.stats(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
