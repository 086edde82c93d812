/**
 * A/B testing: experiments as config-store documents, GrowthBook-compatible hashing and assignment
 * ({@code hashing}, {@code assignment}), exposure logging ({@code exposure}), statistics ({@code stats}),
 * warehouse analysis ({@code analysis}), the HTTP API ({@code api}) and the Kafka adapter of sticky
 * bucketing ({@code adapters}). {@link io.beacon.abtest.Abtest}
 * wires it; the two ports {@link io.beacon.abtest.ExposureSink} and
 * {@link io.beacon.abtest.AnalyticsQueries} are implemented by the platform (the module depends only on
 * event-model and control-plane).
 */
package io.beacon.abtest;
