package io.beacon.abtest.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Bayesian analysis of the relative lift under a Gaussian approximation, as GrowthBook's gbstats
 * {@code EffectBayesianABTest}: the likelihood of the lift is {@code N(lift, Var_delta)} (the delta
 * method, {@link RelativeLift}); with a Gaussian prior {@code N(m₀, v₀)} the posterior is Gaussian with
 * precision {@code 1/v₀ + 1/Var} and mean {@code (m₀/v₀ + lift/Var) / precision}. The default prior is
 * flat (improper), which makes the posterior the likelihood itself.
 */
public final class BayesianTest {
    private BayesianTest() {
    }

    /** A Gaussian prior on the relative lift; {@link #FLAT} is uninformative. */
    public record Prior(double mean, double variance, boolean proper) {
        public static final Prior FLAT = new Prior(0, Double.POSITIVE_INFINITY, false);

        public static Prior gaussian(double mean, double variance) {
            if (!(variance > 0)) {
                throw new IllegalArgumentException("prior variance must be > 0");
            }
            return new Prior(mean, variance, true);
        }
    }

    /**
     * @param ciLevel the credible interval's mass, e.g. 0.95
     * @throws IllegalArgumentException when the lift is not {@link RelativeLift#check estimable}, e.g. a
     *                                  variation has zero variance (gbstats then gives no result either)
     */
    public static BayesianResult test(SampleSummary control, SampleSummary treatment, double ciLevel, Prior prior) {
        RelativeLift rel = RelativeLift.of(control, treatment);
        double mean = rel.lift();
        double variance = rel.variance();
        if (prior.proper()) {
            double precision = 1 / prior.variance() + 1 / variance;
            mean = (prior.mean() / prior.variance() + rel.lift() / variance) / precision;
            variance = 1 / precision;
        }
        double sd = Math.sqrt(variance);
        NormalDistribution posterior = new NormalDistribution(null, mean, sd);
        double tail = (1 - ciLevel) / 2;
        double chanceToWin = 1 - posterior.cumulativeProbability(0);
        // E[max(0, -X)] for X ~ N(μ, σ²) = σ φ(μ/σ) − μ Φ(−μ/σ)
        NormalDistribution std = new NormalDistribution(null, 0, 1);
        double risk = sd * std.density(mean / sd) - mean * std.cumulativeProbability(-mean / sd);
        return new BayesianResult(mean, chanceToWin, posterior.inverseCumulativeProbability(tail),
                posterior.inverseCumulativeProbability(1 - tail), risk);
    }

    public static BayesianResult test(SampleSummary control, SampleSummary treatment, double ciLevel) {
        return test(control, treatment, ciLevel, Prior.FLAT);
    }
}
