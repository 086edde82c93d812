package io.beacon.abtest.stats;

/**
 * A two-sided test of the relative lift.
 *
 * @param lift             relative lift of treatment over control
 * @param ciLower          lower end of the confidence interval of the lift
 * @param ciUpper          upper end
 * @param pValue           two-sided p-value of "no difference"
 * @param degreesOfFreedom Welch–Satterthwaite degrees of freedom
 * @param standardError    delta-method standard error of the lift
 */
public record FrequentistResult(double lift, double ciLower, double ciUpper, double pValue,
                                double degreesOfFreedom, double standardError) {

    public boolean significant(double alpha) {
        return pValue < alpha;
    }
}
