/**
 * Churn and LTV models (issue 18). This package is the module's public face: the port the engine's user
 * state implements ({@link io.beacon.ml.FeatureState}, {@link io.beacon.ml.FeatureWindow}), the feature
 * definition ({@link io.beacon.ml.FeatureSpec}), the replay port dataset building needs
 * ({@link io.beacon.ml.StateReplay}), and the shared result types ({@link io.beacon.ml.Score},
 * {@link io.beacon.ml.Contribution}, {@link io.beacon.ml.ModelRefusedException}). It imports nothing else of
 * the module. The pure core lives beside it: {@code feature} (extraction), {@code label} (labels, cutoffs),
 * {@code dataset} (point-in-time rows, CSV), {@code eval} (AUC and the reports), {@code train} (Tribuo
 * trainers), {@code registry} (artifacts in a model directory), {@code score} (scorer, champion/challenger)
 * and {@code csv} (bring-your-own-data training). docs/ml.md describes every feature and refusal.
 */
package io.beacon.ml;
