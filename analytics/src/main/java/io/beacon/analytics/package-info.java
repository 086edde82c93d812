/**
 * Self-service analysis: a JSON query ({@link io.beacon.analytics.query}) compiled by pure builders to
 * ClickHouse SQL (18.16-compatible) and run through {@link io.beacon.analytics.Analytics}; HTTP in
 * {@link io.beacon.analytics.api}. Semantics: {@code docs/analysis-semantics.md}.
 */
package io.beacon.analytics;
