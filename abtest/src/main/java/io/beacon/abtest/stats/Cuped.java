package io.beacon.abtest.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * CUPED variance reduction (Deng, Xu, Kohavi, Walker: "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM 2013). Each unit's metric {@code y} is replaced by
 * {@code y − θ (x − x̄)} where {@code x} is the same metric in a lookback window before the unit's first
 * exposure and {@code θ = Cov(x, y) / Var(x)}, estimated on all variations pooled (so it is the same for
 * every arm and the estimate stays unbiased: {@code x} is independent of the assignment). Per arm this
 * gives mean {@code ȳ − θ (x̄_arm − x̄)} and variance {@code s²_y + θ² s²_x − 2 θ Cov_arm(x, y)} (moments as
 * {@link UnitValues} estimates them, as gbstats' {@code RegressionAdjustedStatistic}), which feed the same
 * Welch, Bayesian and sequential tests as unadjusted data.
 */
public final class Cuped {
    private Cuped() {
    }

    /** The adjusted summaries (one per input, same order) and the θ used. */
    public record Adjusted(List<SampleSummary> summaries, double theta, double varianceReduction) {
    }

    public static Adjusted adjust(List<CovariateSums> variations) {
        long n = 0;
        double sy = 0;
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        for (CovariateSums v : variations) {
            n += v.n();
            sy += v.sumY();
            sx += v.sumX();
            sxx += v.sumXSquares();
            sxy += v.sumXY();
        }
        double varX = n < 2 ? 0 : (sxx - sx * sx / n) / (n - 1);
        double covXY = n < 2 ? 0 : (sxy - sx * sy / n) / (n - 1);
        double theta = varX > 0 ? covXY / varX : 0;
        double meanX = n == 0 ? 0 : sx / n;
        List<SampleSummary> out = new ArrayList<>(variations.size());
        double before = 0;
        double after = 0;
        for (CovariateSums v : variations) {
            SampleSummary y = v.y();
            SampleSummary x = v.x();
            double mean = y.mean() - theta * (x.mean() - meanX);
            double variance = Math.max(0, y.variance() + theta * theta * x.variance() - 2 * theta * v.covariance());
            out.add(new SampleSummary(v.n(), mean, variance));
            before += y.variance();
            after += variance;
        }
        return new Adjusted(List.copyOf(out), theta, before > 0 ? 1 - after / before : 0);
    }
}
