package io.beacon.abtest.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Sample ratio mismatch: Pearson's χ² goodness-of-fit of the units observed per variation against the
 * configured weights, flagged when {@code p < threshold}. A flagged experiment's assignment or logging
 * is broken (Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments",
 * KDD 2019); its results must not be trusted. Variations with zero weight are left out.
 */
public final class SrmTest {
    /** GrowthBook's and the literature's usual threshold. */
    public static final double DEFAULT_THRESHOLD = 0.001;

    private SrmTest() {
    }

    /**
     * @param observed units per variation
     * @param weights  the variations' configured weights (normalized here)
     */
    public static SrmResult test(long[] observed, double[] weights, double threshold) {
        if (observed.length != weights.length) {
            throw new IllegalArgumentException("one weight per variation expected");
        }
        long total = 0;
        double weightSum = 0;
        int categories = 0;
        for (int i = 0; i < observed.length; i++) {
            if (weights[i] > 0) {
                total += observed[i];
                weightSum += weights[i];
                categories++;
            }
        }
        if (total == 0 || categories < 2) {
            return new SrmResult(0, 1, false);
        }
        double chi2 = 0;
        for (int i = 0; i < observed.length; i++) {
            if (weights[i] > 0) {
                double expected = total * weights[i] / weightSum;
                double d = observed[i] - expected;
                chi2 += d * d / expected;
            }
        }
        double p = 1 - new ChiSquaredDistribution(null, categories - 1).cumulativeProbability(chi2);
        return new SrmResult(chi2, p, p < threshold);
    }

    public static SrmResult test(long[] observed, double[] weights) {
        return test(observed, weights, DEFAULT_THRESHOLD);
    }
}
