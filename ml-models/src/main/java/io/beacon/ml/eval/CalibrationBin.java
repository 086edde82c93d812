package io.beacon.ml.eval;

/**
 * One bin of a calibration table: predictions in {@code [lower, upper)} (the last bin includes 1), their mean,
 * the observed positive rate and how many fell in it (mean and rate are 0 for an empty bin).
 */
public record CalibrationBin(double lower, double upper, double meanPredicted, double observedRate, long count) {
}
