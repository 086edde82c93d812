/**
 * Self-service analysis: a JSON query ({@link io.beacon.analytics.query}) compiled by pure builders to
 * ClickHouse SQL (18.16-compatible) and run by the front door {@link io.beacon.analytics.runtime.Analytics};
 * HTTP in {@link io.beacon.analytics.api}. This root package holds only what the module's packages share:
 * the settings ({@link io.beacon.analytics.AnalyticsSettings}), the ClickHouse port
 * ({@link io.beacon.analytics.Warehouse}) and the statement measurements of results
 * ({@link io.beacon.analytics.QueryStats}). Semantics: {@code docs/analysis-semantics.md}.
 */
package io.beacon.analytics;
