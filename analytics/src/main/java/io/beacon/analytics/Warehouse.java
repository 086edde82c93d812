package io.beacon.analytics;

import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.MeasuredResult;
import java.util.List;
import java.util.Map;

/**
 * The analysis module's port to ClickHouse: measured SELECTs with per-statement server settings (limits,
 * {@code readonly}), JSONEachRow inserts (static cohorts, query log) and statements without result
 * ({@code INSERT … SELECT}, mutations). Production adapts the warehouse's {@link ClickHouse} client with
 * {@link #of}.
 */
public interface Warehouse {

    /** Runs one SELECT with {@code settings} as server settings (applied in iteration order). */
    MeasuredResult query(String sql, Map<String, String> settings);

    /** Inserts JSON rows into {@code table} in one request (one block: atomic up to ~1 M rows). */
    void insert(String table, List<String> jsonRows);

    /** Runs a statement without result. */
    void execute(String sql);

    static Warehouse of(ClickHouse clickhouse) {
        return new Warehouse() {
            @Override
            public MeasuredResult query(String sql, Map<String, String> settings) {
                return clickhouse.queryMeasured(sql, settings);
            }

            @Override
            public void insert(String table, List<String> jsonRows) {
                clickhouse.insertJsonEachRow(table, jsonRows);
            }

            @Override
            public void execute(String sql) {
                clickhouse.execute(sql);
            }
        };
    }
}
