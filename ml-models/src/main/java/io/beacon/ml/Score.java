package io.beacon.ml;

/**
 * One score: the churn probability in [0, 1] or the predicted LTV amount, with the model version that
 * produced it.
 */
public record Score(double value, String modelVersion) {
}
