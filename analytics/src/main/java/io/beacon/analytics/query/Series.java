package io.beacon.analytics.query;

/** One trend series: events, what to compute, the numeric property (property aggregations only) and its letter. */
public record Series(String name, EventSelector events, Aggregation math, PropertyRef property) {
}
