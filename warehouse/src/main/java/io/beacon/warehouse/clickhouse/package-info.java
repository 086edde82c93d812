/**
 * ClickHouse access over HTTP with {@code com.clickhouse:client-v2}, written for 18.16 and current servers:
 * {@link io.beacon.warehouse.clickhouse.ClickHouse} (DDL, text queries, JSONEachRow inserts, ping),
 * {@link io.beacon.warehouse.clickhouse.QueryResult}, {@link io.beacon.warehouse.clickhouse.TablePrinter}
 * (what {@code ./beacon sql} prints) and {@link io.beacon.warehouse.clickhouse.WarehouseException}.
 */
package io.beacon.warehouse.clickhouse;
