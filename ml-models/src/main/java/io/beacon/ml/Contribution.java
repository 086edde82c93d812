package io.beacon.ml;

/**
 * How much one feature contributed to a score: {@code value} is the feature's value, {@code contribution}
 * its share (linear models: weight × standardized value, in log-odds for churn; trees: the feature's
 * importance when the feature is present, else 0).
 */
public record Contribution(String feature, double value, double contribution) {
}
