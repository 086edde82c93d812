package io.beacon.abtest.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's unequal-variance two-sided t-test on the relative lift, with the delta-method variance
 * ({@link RelativeLift}) and Welch–Satterthwaite degrees of freedom
 * {@code (s²_c/n_c + s²_t/n_t)² / ((s²_c/n_c)²/(n_c-1) + (s²_t/n_t)²/(n_t-1))}. This is GrowthBook's
 * gbstats {@code TwoSidedTTest} with {@code relative=True}; the reference case of its test suite
 * (lift 0.70732, CI (−0.03526, 1.44989), p 0.06191) is reproduced by {@code WelchTestTest}.
 */
public final class WelchTest {
    private WelchTest() {
    }

    /**
     * @param alpha the two-sided error rate, e.g. 0.05 for a 95 % interval
     * @throws IllegalArgumentException when the lift is not {@link RelativeLift#check estimable}, e.g. a
     *                                  variation has zero variance (gbstats then gives no result either)
     */
    public static FrequentistResult test(SampleSummary control, SampleSummary treatment, double alpha) {
        RelativeLift rel = RelativeLift.of(control, treatment);
        double dof = welchDegreesOfFreedom(control, treatment);
        double se = rel.standardError();
        TDistribution t = new TDistribution(null, dof);
        double stat = rel.lift() / se;
        double p = 2 * t.cumulativeProbability(-Math.abs(stat));
        double q = t.inverseCumulativeProbability(1 - alpha / 2);
        return new FrequentistResult(rel.lift(), rel.lift() - q * se, rel.lift() + q * se, p, dof, se);
    }

    /** Welch–Satterthwaite degrees of freedom; NaN when both variances are zero. */
    public static double welchDegreesOfFreedom(SampleSummary control, SampleSummary treatment) {
        double a = control.variance() / control.n();
        double b = treatment.variance() / treatment.n();
        double denominator = a * a / (control.n() - 1) + b * b / (treatment.n() - 1);
        return denominator == 0 ? Double.NaN : (a + b) * (a + b) / denominator;
    }
}
