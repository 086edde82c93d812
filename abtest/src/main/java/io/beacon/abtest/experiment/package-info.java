/**
 * Experiments as config-store documents (kind {@code experiment}): the
 * {@link io.beacon.abtest.experiment.Experiment} document, its validation and lifecycle rules
 * ({@link io.beacon.abtest.experiment.ExperimentRules}), the store-backed
 * {@link io.beacon.abtest.experiment.ExperimentCatalog}, and targeting
 * {@link io.beacon.abtest.experiment.Condition}s with GrowthBook semantics.
 */
package io.beacon.abtest.experiment;
