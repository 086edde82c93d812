package io.beacon.analytics.internal;

import io.beacon.warehouse.clickhouse.QueryResult;

/** Runs one SELECT (the analyses' only port to ClickHouse; {@code ClickHouse::query} in production). */
@FunctionalInterface
public interface SqlRunner {
    QueryResult run(String sql);
}
