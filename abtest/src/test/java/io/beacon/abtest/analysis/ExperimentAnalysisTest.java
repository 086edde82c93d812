package io.beacon.abtest.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentFixtures;
import io.beacon.abtest.experiment.ExperimentStatus;
import io.beacon.abtest.stats.BayesianResult;
import io.beacon.abtest.stats.BayesianTest;
import io.beacon.abtest.stats.MinimumData;
import io.beacon.abtest.stats.SequentialTest;
import io.beacon.abtest.stats.SrmTest;
import io.beacon.control.store.ConfigJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The analysis of a conversion goal on a canned warehouse (no pre-exposure events, so CUPED's θ is 0). */
class ExperimentAnalysisTest {
    private static final Experiment EXPERIMENT = ExperimentFixtures.twoWay("checkout", ExperimentStatus.RUNNING);
    /** Every verdict allowed as soon as there are units: without the zero-variance rule these cases would be won or lost. */
    private static final AnalysisSettings NO_MINIMUM = new AnalysisSettings(0.05, false, 14, true, SequentialTest.DEFAULT_TUNING_N,
            SrmTest.DEFAULT_THRESHOLD, new MinimumData(2, 0), BayesianTest.Prior.FLAT);

    private static ExperimentResults.Comparison analyze(AnalysisSettings settings, long controlUnits, long controlConversions,
                                                        long treatmentUnits, long treatmentConversions) {
        AnalyticsQueries warehouse = sql -> {
            if (sql.equals(AnalysisSql.unitsPerVariation("shop", EXPERIMENT.key()))) {
                return new AnalyticsQueries.Rows(List.of("variation", "units"),
                        List.of(List.of("control", "" + controlUnits), List.of("treatment", "" + treatmentUnits)));
            }
            if (sql.equals(AnalysisSql.multiVariationUnits("shop", EXPERIMENT.key()))) {
                return new AnalyticsQueries.Rows(List.of("units"), List.of(List.of("0")));
            }
            return new AnalyticsQueries.Rows(List.of("variation", "units", "conversions", "sum_y", "sum_y2", "sum_x", "sum_x2", "sum_xy"),
                    List.of(metricRow("control", controlUnits, controlConversions), metricRow("treatment", treatmentUnits, treatmentConversions)));
        };
        ExperimentResults r = new ExperimentAnalysis(warehouse, () -> 1_000L).analyze("shop", EXPERIMENT, settings);
        return r.goals().get(0).comparisons().get(0);
    }

    private static List<String> metricRow(String variation, long units, long conversions) {
        return List.of(variation, "" + units, "" + conversions, "" + conversions, "" + conversions, "0", "0", "0");
    }

    private static void assertNoVerdictForZeroVariance(ExperimentResults.Comparison c) {
        assertEquals("not_estimable", c.decision());
        assertTrue(c.reason().contains("zero variance"), c.reason());
        assertNull(c.frequentist());
        assertNull(c.bayesian());
        assertNull(c.sequential());
    }

    @Test
    void shouldGiveNoVerdictAndNoIntervalWhenNoTreatmentUnitConverted() {
        // Before: lift −1, CI [−1, −1], p 0, "losing"
        ExperimentResults.Comparison c = analyze(NO_MINIMUM, 1000, 100, 1000, 0);
        assertNoVerdictForZeroVariance(c);
        // the API answer has the shape of any not_estimable comparison: no test objects at all
        JsonNode json = ConfigJson.mapper().valueToTree(c);
        assertEquals("not_estimable", json.get("decision").asText());
        assertFalse(json.has("frequentist") || json.has("bayesian") || json.has("sequential"), json.toString());
    }

    @Test
    void shouldGiveNoVerdictWhenEveryTreatmentUnitConvertedAlsoWithCuped() {
        // the control's variance alone would give an interval and "winning"; gbstats refuses it all the same
        ExperimentResults.Comparison c = analyze(NO_MINIMUM.withCuped(true), 1000, 100, 1000, 1000);
        assertNoVerdictForZeroVariance(c);
    }

    @Test
    void shouldGiveNoVerdictWhenNoControlUnitConverted() {
        assertNoVerdictForZeroVariance(analyze(NO_MINIMUM, 1000, 0, 1000, 100));
    }

    @Test
    void shouldReproduceTheGbstatsBinomialBayesianVectorThroughTheAnalysis() {
        // gbstats TestBinom: 49/100 control, 51/100 treatment; CUPED on (the default) with θ = 0 changes nothing
        ExperimentResults.Comparison c = analyze(AnalysisSettings.DEFAULTS, 100, 49, 100, 51);
        BayesianResult b = c.bayesian();
        assertEquals(0.04082, b.lift(), 1e-4);
        assertEquals(-0.24779, b.ciLower(), 1e-4);
        assertEquals(0.32943, b.ciUpper(), 1e-4);
        assertEquals(0.60918, b.chanceToWin(), 1e-4);
        assertEquals(0.14725, c.frequentist().standardError(), 1e-4);
        assertEquals("inconclusive", c.decision());
    }
}
