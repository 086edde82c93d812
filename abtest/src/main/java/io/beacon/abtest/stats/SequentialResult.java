package io.beacon.abtest.stats;

/**
 * An always-valid confidence sequence for the relative lift: the interval may be looked at after every
 * new unit and still covers the true lift with probability {@code 1 − α} simultaneously over time.
 *
 * @param lift    the point estimate
 * @param ciLower lower end of the confidence sequence at the current sample size
 * @param ciUpper upper end
 * @param pValue  always-valid p-value: the smallest α whose sequence excludes 0 (capped at 1)
 */
public record SequentialResult(double lift, double ciLower, double ciUpper, double pValue) {
}
