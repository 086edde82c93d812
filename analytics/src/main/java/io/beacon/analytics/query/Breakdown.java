package io.beacon.analytics.query;

/**
 * Group by a property's value: the {@code limit} most frequent values, every other value as {@value #OTHER}. The
 * property is an event column, an event property or a person property (the resolved person's current value).
 */
public record Breakdown(PropertyRef property, int limit) {
    public static final String OTHER = "$other";
}
