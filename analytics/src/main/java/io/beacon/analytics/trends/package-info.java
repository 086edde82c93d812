/** Trends: per-bucket aggregates of series, breakdown top-N + other, compare, formulas. */
package io.beacon.analytics.trends;
