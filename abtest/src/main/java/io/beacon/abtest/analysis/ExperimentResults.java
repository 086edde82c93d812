package io.beacon.abtest.analysis;

import io.beacon.abtest.stats.BayesianResult;
import io.beacon.abtest.stats.FrequentistResult;
import io.beacon.abtest.stats.SequentialResult;
import io.beacon.abtest.stats.SrmResult;
import java.util.List;

/**
 * The results of one experiment at one moment.
 *
 * @param experimentKey       the experiment
 * @param computedAt          epoch ms
 * @param units               exposed single-variation units per variation (configuration order)
 * @param multiVariationUnits units seen in more than one variation, excluded everywhere
 * @param srm                 sample-ratio check of {@code units} against the weights
 * @param goals               goal metrics
 * @param guardrails          guardrail metrics
 */
public record ExperimentResults(String experimentKey, long computedAt, List<VariationUnits> units, long multiVariationUnits,
                                SrmResult srm, List<MetricResult> goals, List<MetricResult> guardrails) {

    public record VariationUnits(String variation, double weight, long units) {
    }

    /** One metric: per-variation data and each treatment compared with the control (index 0). */
    public record MetricResult(String metric, String event, String type, int windowHours, List<VariationData> variations,
                               List<Comparison> comparisons) {
    }

    /**
     * @param mean      per-unit mean (conversion rate for conversion metrics; CUPED-adjusted when applied)
     * @param rawMean   per-unit mean without adjustment
     */
    public record VariationData(String variation, long units, long conversions, double sum, double rawMean, double mean,
                                double standardDeviation) {
    }

    /**
     * A treatment against the control.
     *
     * @param decision    {@code not_enough_data}, {@code srm}, {@code not_estimable}, {@code winning},
     *                    {@code losing} or {@code inconclusive} (frequentist, at the configured alpha);
     *                    {@code not_estimable} (too few units, a variation with zero variance, a zero control
     *                    mean: {@link io.beacon.abtest.stats.RelativeLift.NotEstimable}) comes without tests
     * @param reason      why there is no verdict, or {@code null}
     * @param cupedTheta  θ of CUPED, or {@code null} when not applied
     * @param sequential  always-valid interval, or {@code null} when not requested
     */
    public record Comparison(String variation, String decision, String reason, FrequentistResult frequentist,
                             BayesianResult bayesian, SequentialResult sequential, Double cupedTheta,
                             Double cupedVarianceReduction) {
    }
}
