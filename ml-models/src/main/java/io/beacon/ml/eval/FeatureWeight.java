package io.beacon.ml.eval;

/** A feature and its importance in a model (linear: weight on the standardized scale; trees: Tribuo's importance). */
public record FeatureWeight(String feature, double weight) {
}
