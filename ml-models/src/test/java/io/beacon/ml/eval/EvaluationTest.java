package io.beacon.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void shouldComputeLogLossByHand() {
        assertEquals((-Math.log(0.9) - Math.log(0.8)) / 2, Evaluation.logLoss(new double[] {0.9, 0.2}, new boolean[] {true, false}), 1e-12);
    }

    @Test
    void shouldClipCertainWrongPredictionsInTheLogLoss() {
        assertEquals(-Math.log(1e-15), Evaluation.logLoss(new double[] {0.0}, new boolean[] {true}), 1e-9);
    }

    @Test
    void shouldBinPredictionsIntoTenEqualBins() {
        List<CalibrationBin> bins = Evaluation.calibration(new double[] {0.05, 0.15, 0.95, 1.0, 0.91}, new boolean[] {false, true, true, true, false});
        assertEquals(10, bins.size());
        assertEquals(new CalibrationBin(0.0, 0.1, 0.05, 0.0, 1), bins.get(0));
        assertEquals(1, bins.get(1).count());
        assertEquals(0, bins.get(5).count());
        assertEquals(3, bins.get(9).count());
        assertEquals((0.95 + 1.0 + 0.91) / 3, bins.get(9).meanPredicted(), 1e-12);
        assertEquals(2.0 / 3, bins.get(9).observedRate(), 1e-12);
    }

    @Test
    void shouldComputeRegressionMetricsByHand() {
        RegressionMetrics m = RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2, 5});
        assertEquals(Math.sqrt(4 / 3.0), m.rmse(), 1e-12);
        assertEquals(2 / 3.0, m.mae(), 1e-12);
        // mean 8/3, SST = 26/3, SSE = 4
        assertEquals(1 - 4 / (26 / 3.0), m.r2(), 1e-12);
    }

    @Test
    void shouldReportBothLtvBaselines() {
        EvaluationReport r = Evaluation.ltv(new double[] {10, 0}, new double[] {10, 0}, 4, new double[] {8, 2}, List.of());
        assertEquals(0, r.metric("rmse"), 1e-12);
        assertEquals(Math.sqrt((36 + 16) / 2.0), r.metric("rmse_mean_baseline"), 1e-12);
        assertEquals(2, r.metric("rmse_last_period_baseline"), 1e-12);
        assertEquals(2, r.metric("mae_last_period_baseline"), 1e-12);
    }

    @Test
    void shouldReportChurnMetrics() {
        EvaluationReport r = Evaluation.churn(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}, List.of());
        assertEquals(0.75, r.metric("roc_auc"), 1e-12);
        assertEquals(5.0 / 6, r.metric("pr_auc"), 1e-12);
        assertEquals(0.5, r.metric("positive_rate"), 1e-12);
        assertEquals(4, r.testRows());
    }
}
