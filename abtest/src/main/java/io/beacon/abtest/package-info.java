/**
 * A/B testing: experiments as config-store documents, GrowthBook-compatible hashing and assignment
 * ({@code hashing}, {@code assignment}), exposure logging ({@code exposure}), statistics ({@code stats}),
 * warehouse analysis ({@code analysis}), the HTTP API ({@code api}) and the Kafka adapter of sticky
 * bucketing ({@code adapters}). The front door {@link io.beacon.abtest.runtime.Abtest} wires it. This
 * package holds the two ports, {@link io.beacon.abtest.ExposureSink} and
 * {@link io.beacon.abtest.AnalyticsQueries}, implemented by the platform, and imports nothing else of the
 * module (the module depends on event-model, control-plane, http-kit and kafka-clients).
 */
package io.beacon.abtest;
