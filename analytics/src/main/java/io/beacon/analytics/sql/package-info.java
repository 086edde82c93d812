/**
 * The SQL console ({@code POST /api/v1/sql}): {@link io.beacon.analytics.sql.SqlGuard} refuses everything but
 * one SELECT over the exposed names and rewrites those to subqueries pinned to the caller's project;
 * {@link io.beacon.analytics.sql.SqlConsole} runs the result read-only ({@code readonly=1}) with time, memory
 * and row limits.
 */
package io.beacon.analytics.sql;
