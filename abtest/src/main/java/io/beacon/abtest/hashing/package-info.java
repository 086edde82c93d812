/**
 * GrowthBook-compatible hashing and bucketing: {@link io.beacon.abtest.hashing.GrowthBookHash} (FNV-1a
 * over UTF-16 code units, hash versions 1 and 2) and {@link io.beacon.abtest.hashing.BucketRanges}
 * (coverage, weights, namespaces). Pure functions; the assignment engine and the SDK payload build on
 * them so that Beacon and GrowthBook SDKs bucket every unit identically.
 */
package io.beacon.abtest.hashing;
