package io.beacon.abtest.analysis;

import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.Metric;
import io.beacon.abtest.experiment.MetricType;
import io.beacon.abtest.stats.BayesianResult;
import io.beacon.abtest.stats.BayesianTest;
import io.beacon.abtest.stats.CovariateSums;
import io.beacon.abtest.stats.Cuped;
import io.beacon.abtest.stats.FrequentistResult;
import io.beacon.abtest.stats.RelativeLift;
import io.beacon.abtest.stats.SampleSummary;
import io.beacon.abtest.stats.SequentialResult;
import io.beacon.abtest.stats.SequentialTest;
import io.beacon.abtest.stats.SrmResult;
import io.beacon.abtest.stats.SrmTest;
import io.beacon.abtest.stats.UnitValues;
import io.beacon.abtest.stats.WelchTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Computes an experiment's results: runs {@link AnalysisSql} through the {@link AnalyticsQueries} port,
 * then the pure statistics per metric and treatment. Blocking (warehouse queries): call it off the HTTP
 * dispatcher.
 */
public final class ExperimentAnalysis {
    private final AnalyticsQueries warehouse;
    private final LongSupplier clock;

    public ExperimentAnalysis(AnalyticsQueries warehouse, LongSupplier clock) {
        this.warehouse = warehouse;
        this.clock = clock;
    }

    public ExperimentResults analyze(String project, Experiment e, AnalysisSettings settings) {
        List<Double> weights = e.effectiveWeights();
        Map<String, Long> unitCounts = new HashMap<>();
        for (Map<String, String> row : warehouse.query(AnalysisSql.unitsPerVariation(project, e.key())).asMaps()) {
            unitCounts.put(row.get("variation"), Long.parseLong(row.get("units")));
        }
        List<ExperimentResults.VariationUnits> units = new ArrayList<>();
        long[] observed = new long[e.variations().size()];
        double[] w = new double[observed.length];
        for (int i = 0; i < observed.length; i++) {
            String key = e.variations().get(i).key();
            observed[i] = unitCounts.getOrDefault(key, 0L);
            w[i] = weights.get(i);
            units.add(new ExperimentResults.VariationUnits(key, w[i], observed[i]));
        }
        long multi = Long.parseLong(warehouse.query(AnalysisSql.multiVariationUnits(project, e.key())).rows().get(0).get(0));
        SrmResult srm = SrmTest.test(observed, w, settings.srmThreshold());
        long lookbackMs = settings.cuped() ? settings.lookbackDays() * 86_400_000L : 0;
        long since = e.startTime() == null ? 0 : Math.max(0, e.startTime() - lookbackMs);
        List<ExperimentResults.MetricResult> goals = new ArrayList<>();
        for (Metric m : e.goalMetrics()) {
            goals.add(metric(project, e, m, settings, srm, lookbackMs, since));
        }
        List<ExperimentResults.MetricResult> guardrails = new ArrayList<>();
        for (Metric m : e.guardrailMetrics()) {
            guardrails.add(metric(project, e, m, settings, srm, lookbackMs, since));
        }
        return new ExperimentResults(e.key(), clock.getAsLong(), units, multi, srm, goals, guardrails);
    }

    private ExperimentResults.MetricResult metric(String project, Experiment e, Metric m, AnalysisSettings settings, SrmResult srm,
                                                  long lookbackMs, long since) {
        Map<String, Map<String, String>> byVariation = new HashMap<>();
        for (Map<String, String> row : warehouse.query(AnalysisSql.metric(project, e.key(), m, lookbackMs, since)).asMaps()) {
            byVariation.put(row.get("variation"), row);
        }
        int k = e.variations().size();
        boolean conversionLike = m.type() == MetricType.CONVERSION;
        UnitValues values = conversionLike ? UnitValues.BINARY : UnitValues.NUMERIC;
        List<CovariateSums> sums = new ArrayList<>(k);
        long[] conversions = new long[k];
        for (int i = 0; i < k; i++) {
            Map<String, String> row = byVariation.get(e.variations().get(i).key());
            if (row == null) {
                sums.add(new CovariateSums(values, 0, 0, 0, 0, 0, 0));
                continue;
            }
            conversions[i] = Long.parseLong(row.get("conversions"));
            sums.add(new CovariateSums(values, Long.parseLong(row.get("units")), d(row, "sum_y"), d(row, "sum_y2"), d(row, "sum_x"),
                    d(row, "sum_x2"), d(row, "sum_xy")));
        }
        List<SampleSummary> raw = sums.stream().map(CovariateSums::y).toList();
        Cuped.Adjusted adjusted = settings.cuped() ? Cuped.adjust(sums) : null;
        List<SampleSummary> used = adjusted != null ? adjusted.summaries() : raw;
        List<ExperimentResults.VariationData> data = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            data.add(new ExperimentResults.VariationData(e.variations().get(i).key(), raw.get(i).n(), conversions[i],
                    sums.get(i).sumY(), raw.get(i).mean(), used.get(i).mean(), Math.sqrt(used.get(i).variance())));
        }
        List<ExperimentResults.Comparison> comparisons = new ArrayList<>();
        for (int i = 1; i < k; i++) {
            comparisons.add(compare(e.variations().get(i).key(), used.get(0), used.get(i), raw.get(0).n(), raw.get(i).n(),
                    conversions[0], conversions[i], conversionLike, settings, srm, adjusted));
        }
        return new ExperimentResults.MetricResult(m.key(), m.event(), m.type().wireName(), m.windowHours(), data, comparisons);
    }

    private static ExperimentResults.Comparison compare(String variation, SampleSummary control, SampleSummary treatment,
                                                        long controlUnits, long treatmentUnits, long controlConv, long treatmentConv,
                                                        boolean conversionLike, AnalysisSettings s, SrmResult srm, Cuped.Adjusted cuped) {
        Double theta = cuped == null ? null : cuped.theta();
        Double reduction = cuped == null ? null : cuped.varianceReduction();
        String srmReason = "sample ratio mismatch (p = " + srm.pValue() + "): fix assignment or logging before reading results";
        Optional<RelativeLift.NotEstimable> problem = RelativeLift.check(control, treatment);
        if (problem.isPresent()) {
            return srm.flagged()
                    ? new ExperimentResults.Comparison(variation, "srm", srmReason, null, null, null, theta, reduction)
                    : new ExperimentResults.Comparison(variation, "not_estimable", problem.get().message(), null, null, null,
                    theta, reduction);
        }
        FrequentistResult f = WelchTest.test(control, treatment, s.alpha());
        BayesianResult b = BayesianTest.test(control, treatment, 1 - s.alpha(), s.prior());
        SequentialResult q = s.sequential() ? SequentialTest.test(control, treatment, s.alpha(), s.sequentialTuningN()) : null;
        Optional<String> shortfall = s.minimumData().shortfall(controlUnits, controlConv, conversionLike)
                .or(() -> s.minimumData().shortfall(treatmentUnits, treatmentConv, conversionLike));
        String decision;
        String reason = null;
        if (srm.flagged()) {
            decision = "srm";
            reason = srmReason;
        } else if (shortfall.isPresent()) {
            decision = "not_enough_data";
            reason = shortfall.get();
        } else {
            boolean significant = q != null ? (q.ciLower() > 0 || q.ciUpper() < 0) : f.significant(s.alpha());
            decision = !significant ? "inconclusive" : f.lift() > 0 ? "winning" : "losing";
        }
        return new ExperimentResults.Comparison(variation, decision, reason, f, b, q, theta, reduction);
    }

    private static double d(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }
}
