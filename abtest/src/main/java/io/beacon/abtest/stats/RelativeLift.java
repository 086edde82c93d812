package io.beacon.abtest.stats;

/**
 * The relative lift {@code mean_t / mean_c - 1} and its variance by the delta method (first-order
 * Taylor expansion of the ratio of two independent means):
 * {@code Var ≈ σ²_t / (μ²_c n_t) + μ²_t σ²_c / (μ⁴_c n_c)}. Same formula as GrowthBook's gbstats
 * ({@code frequentist_variance} for relative effects).
 *
 * @param lift     the point estimate
 * @param variance the delta-method variance of the estimate
 */
public record RelativeLift(double lift, double variance) {

    /** Whether the lift is defined: a non-zero control mean and at least two units per arm. */
    public static boolean estimable(SampleSummary control, SampleSummary treatment) {
        return control.n() >= 2 && treatment.n() >= 2 && control.mean() != 0;
    }

    /**
     * @throws IllegalArgumentException when not {@link #estimable}
     */
    public static RelativeLift of(SampleSummary control, SampleSummary treatment) {
        if (!estimable(control, treatment)) {
            throw new IllegalArgumentException("relative lift needs a non-zero control mean and n >= 2 per variation");
        }
        double mc = control.mean();
        double mt = treatment.mean();
        double lift = mt / mc - 1;
        double variance = treatment.variance() / (mc * mc * treatment.n())
                + control.variance() * mt * mt / (mc * mc * mc * mc * control.n());
        return new RelativeLift(lift, variance);
    }

    public double standardError() {
        return Math.sqrt(variance);
    }
}
