/**
 * Training with Tribuo (fixed seeds): {@link io.beacon.ml.train.Training} turns a
 * {@link io.beacon.ml.dataset.Dataset} into a {@link io.beacon.ml.train.TrainedModel} with a time-based
 * holdout evaluation; {@link io.beacon.ml.train.ModelPredictor} is the one prediction path (standardize,
 * Tribuo predict) that evaluation and scoring share.
 */
package io.beacon.ml.train;
