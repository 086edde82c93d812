package io.beacon.abtest.stats;

/**
 * Always-valid inference with the normal-mixture confidence sequence of Howard, Ramdas, McAuliffe and
 * Sekhon ("Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 2021, eq. 14)
 * as GrowthBook's gbstats {@code SequentialTwoSidedTTest} applies it to the relative lift: with
 * {@code N = n_c + n_t}, {@code s² = Var_delta · N} and mixing parameter
 * {@code ρ = sqrt((−2 ln α + ln(−2 ln α + 1)) / N*)} tuned for an expected sample size {@code N*},
 * the half-width is {@code sqrt(s²) · sqrt(2 (N ρ² + 1) / (N² ρ²) · ln(sqrt(N ρ² + 1) / α))}.
 * The interval is wider than the fixed-horizon one; in exchange results may be checked continuously.
 */
public final class SequentialTest {
    /** gbstats' default tuning sample size. */
    public static final double DEFAULT_TUNING_N = 5000;

    private SequentialTest() {
    }

    /**
     * @throws IllegalArgumentException when the lift is not {@link RelativeLift#check estimable}, e.g. a
     *                                  variation has zero variance (gbstats then gives no result either)
     */
    public static SequentialResult test(SampleSummary control, SampleSummary treatment, double alpha, double tuningN) {
        RelativeLift rel = RelativeLift.of(control, treatment);
        double n = control.n() + treatment.n();
        double rho2 = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuningN;
        double s2 = rel.variance() * n;
        double k = 2 * (n * rho2 + 1) / (n * n * rho2);
        double halfWidth = Math.sqrt(s2) * Math.sqrt(k * Math.log(Math.sqrt(n * rho2 + 1) / alpha));
        // Solving halfWidth(a) = |lift| for a gives the always-valid p-value in closed form.
        double p = Math.min(1, Math.sqrt(n * rho2 + 1) * Math.exp(-rel.lift() * rel.lift() / (s2 * k)));
        return new SequentialResult(rel.lift(), rel.lift() - halfWidth, rel.lift() + halfWidth, p);
    }
}
