package io.beacon.abtest.stats;

/**
 * A sample-ratio-mismatch check.
 *
 * @param chiSquare Pearson's χ² of observed vs expected units
 * @param pValue    its upper-tail probability with {@code k − 1} degrees of freedom
 * @param flagged   whether {@code pValue} is below the threshold (default 0.001)
 */
public record SrmResult(double chiSquare, double pValue, boolean flagged) {
}
