package io.beacon.abtest.analysis;

import io.beacon.abtest.stats.BayesianTest;
import io.beacon.abtest.stats.MinimumData;
import io.beacon.abtest.stats.SequentialTest;
import io.beacon.abtest.stats.SrmTest;

/**
 * How results are computed.
 *
 * @param alpha          two-sided error rate (0.05 → 95 % intervals)
 * @param cuped          whether to apply CUPED with a pre-exposure covariate
 * @param lookbackDays   CUPED covariate window before first exposure (default 14)
 * @param sequential     whether to add always-valid confidence sequences
 * @param sequentialTuningN expected total sample size the sequence is tuned for
 * @param srmThreshold   SRM flag threshold on the χ² p-value (default 0.001)
 * @param minimumData    units/conversions needed per variation before a verdict
 * @param prior          prior of the Bayesian analysis
 */
public record AnalysisSettings(double alpha, boolean cuped, int lookbackDays, boolean sequential, double sequentialTuningN,
                               double srmThreshold, MinimumData minimumData, BayesianTest.Prior prior) {

    public static final AnalysisSettings DEFAULTS = new AnalysisSettings(0.05, true, 14, false,
            SequentialTest.DEFAULT_TUNING_N, SrmTest.DEFAULT_THRESHOLD, MinimumData.DEFAULT, BayesianTest.Prior.FLAT);

    public AnalysisSettings withCuped(boolean on) {
        return new AnalysisSettings(alpha, on, lookbackDays, sequential, sequentialTuningN, srmThreshold, minimumData, prior);
    }

    public AnalysisSettings withSequential(boolean on) {
        return new AnalysisSettings(alpha, cuped, lookbackDays, on, sequentialTuningN, srmThreshold, minimumData, prior);
    }
}
