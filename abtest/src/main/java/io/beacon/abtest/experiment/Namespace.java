package io.beacon.abtest.experiment;

/**
 * Mutual exclusion: experiments in the same namespace with disjoint {@code [start, end)} ranges never
 * share a unit (GrowthBook namespaces).
 */
public record Namespace(String id, double start, double end) {
}
