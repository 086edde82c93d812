package io.beacon.abtest.stats;

import java.util.Optional;

/**
 * The relative lift {@code mean_t / mean_c - 1} and its variance by the delta method (first-order
 * Taylor expansion of the ratio of two independent means):
 * {@code Var ≈ σ²_t / (μ²_c n_t) + μ²_t σ²_c / (μ⁴_c n_c)}. Same formula as GrowthBook's gbstats
 * ({@code frequentist_variance} for relative effects).
 *
 * @param lift     the point estimate
 * @param variance the delta-method variance of the estimate, always {@code > 0}
 */
public record RelativeLift(double lift, double variance) {

    /**
     * Why a pair of variations has no usable lift. Every test refuses these, as gbstats' {@code EffectMoments}
     * returns its uninformative result for them (checked in gbstats' order).
     */
    public enum NotEstimable {
        TOO_FEW_UNITS("needs at least 2 units per variation"),
        /**
         * A variation whose units all have the same value (e.g. none converted): the delta-method
         * variance would be 0 or rest on one arm only, and an interval of width zero claims a certainty the
         * data do not give. gbstats: {@code ZERO_NEGATIVE_VARIANCE}.
         */
        ZERO_VARIANCE("a variation has zero variance (all its units have the same value, e.g. none converted), "
                + "so the data give no interval for the lift"),
        /** gbstats: {@code ZERO_NEGATIVE_BASELINE_VARIATION}. */
        ZERO_CONTROL_MEAN("needs a non-zero control mean");

        private final String message;

        NotEstimable(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** Why the lift of {@code treatment} over {@code control} is not estimable, or empty when it is. */
    public static Optional<NotEstimable> check(SampleSummary control, SampleSummary treatment) {
        if (control.n() < 2 || treatment.n() < 2) {
            return Optional.of(NotEstimable.TOO_FEW_UNITS);
        }
        if (!(control.variance() > 0) || !(treatment.variance() > 0)) {
            return Optional.of(NotEstimable.ZERO_VARIANCE);
        }
        if (control.mean() == 0) {
            return Optional.of(NotEstimable.ZERO_CONTROL_MEAN);
        }
        return Optional.empty();
    }

    /** Whether {@link #check} finds nothing in the way. */
    public static boolean estimable(SampleSummary control, SampleSummary treatment) {
        return check(control, treatment).isEmpty();
    }

    /**
     * @throws IllegalArgumentException when not {@link #estimable}
     */
    public static RelativeLift of(SampleSummary control, SampleSummary treatment) {
        Optional<NotEstimable> problem = check(control, treatment);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("relative lift not estimable: " + problem.get().message());
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
