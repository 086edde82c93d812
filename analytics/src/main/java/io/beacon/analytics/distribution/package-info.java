/**
 * Per-person histograms: {@link io.beacon.analytics.distribution.Distribution} (events per person) and
 * {@link io.beacon.analytics.distribution.Stickiness} (active intervals per person).
 */
package io.beacon.analytics.distribution;
