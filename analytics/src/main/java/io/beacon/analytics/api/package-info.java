/**
 * The analytics HTTP API ({@link io.beacon.analytics.api.AnalyticsApi#routes}): secret-key auth, JSON in and out,
 * errors mapped by the HTTP kit with {@code internal.AnalyticsErrors}.
 */
package io.beacon.analytics.api;
