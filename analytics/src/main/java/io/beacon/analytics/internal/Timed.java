package io.beacon.analytics.internal;

import io.beacon.analytics.QueryStats;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;

/** Runs statements through a {@link SqlRunner} and records each one's SQL and timing. Not thread-safe: one per analysis. */
public final class Timed {
    private final SqlRunner runner;
    private final List<QueryStats> stats = new ArrayList<>();

    public Timed(SqlRunner runner) {
        this.runner = runner;
    }

    public QueryResult run(String sql) {
        long start = System.nanoTime();
        QueryResult r = runner.run(sql);
        stats.add(new QueryStats(sql, (System.nanoTime() - start) / 1_000_000, r.size()));
        return r;
    }

    public List<QueryStats> stats() {
        return List.copyOf(stats);
    }
}
