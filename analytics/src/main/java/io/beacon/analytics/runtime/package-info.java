/**
 * The analysis module's front door: {@link io.beacon.analytics.runtime.Analytics} wires the analyses, cohorts,
 * SQL console and guard rails over the {@link io.beacon.analytics.Warehouse} port; the platform starts it and
 * the routes ({@link io.beacon.analytics.api}) call it. Nothing else in the module imports it.
 */
package io.beacon.analytics.runtime;
