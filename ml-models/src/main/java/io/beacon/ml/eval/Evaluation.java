package io.beacon.ml.eval;

import io.beacon.ml.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link EvaluationReport}s of docs/ml.md ("Evaluation"). Pure. */
public final class Evaluation {
    /** Probabilities are clipped to {@code [EPS, 1 − EPS]} in the log loss. */
    static final double EPS = 1e-15;
    static final int CALIBRATION_BINS = 10;

    private Evaluation() {
    }

    /** Churn: ROC AUC, PR AUC, log loss, the positive rate and a 10-bin calibration table. */
    public static EvaluationReport churn(double[] probability, boolean[] churned, List<FeatureWeight> topFeatures) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("roc_auc", Auc.rocAuc(probability, churned));
        m.put("pr_auc", Auc.prAuc(probability, churned));
        m.put("log_loss", logLoss(probability, churned));
        long pos = 0;
        for (boolean c : churned) {
            pos += c ? 1 : 0;
        }
        m.put("positive_rate", churned.length == 0 ? 0 : (double) pos / churned.length);
        return new EvaluationReport(Task.CHURN, probability.length, m, calibration(probability, churned), topFeatures);
    }

    /**
     * LTV: RMSE, MAE and R² of the model and of two baselines: the mean of the training labels for everyone,
     * and each person's revenue in the horizon before the cutoff ("repeat last period").
     */
    public static EvaluationReport ltv(double[] predicted, double[] actual, double trainMean, double[] revenuePrevH,
                                       List<FeatureWeight> topFeatures) {
        double[] mean = new double[actual.length];
        Arrays.fill(mean, trainMean);
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "", RegressionMetrics.of(predicted, actual));
        put(m, "_mean_baseline", RegressionMetrics.of(mean, actual));
        put(m, "_last_period_baseline", RegressionMetrics.of(revenuePrevH, actual));
        return new EvaluationReport(Task.LTV, actual.length, m, List.of(), topFeatures);
    }

    private static void put(Map<String, Double> m, String suffix, RegressionMetrics r) {
        m.put("rmse" + suffix, r.rmse());
        m.put("mae" + suffix, r.mae());
        m.put("r2" + suffix, r.r2());
    }

    /** Mean binary cross-entropy, probabilities clipped to {@code [1e-15, 1 − 1e-15]}. */
    public static double logLoss(double[] probability, boolean[] positive) {
        double sum = 0;
        for (int i = 0; i < probability.length; i++) {
            double p = Math.min(1 - EPS, Math.max(EPS, probability[i]));
            sum -= positive[i] ? Math.log(p) : Math.log(1 - p);
        }
        return probability.length == 0 ? Double.NaN : sum / probability.length;
    }

    /** 10 equal-width bins over [0, 1]; a prediction of exactly 1 falls in the last bin. */
    public static List<CalibrationBin> calibration(double[] probability, boolean[] positive) {
        double[] sum = new double[CALIBRATION_BINS];
        long[] pos = new long[CALIBRATION_BINS];
        long[] n = new long[CALIBRATION_BINS];
        for (int i = 0; i < probability.length; i++) {
            int b = Math.min(CALIBRATION_BINS - 1, Math.max(0, (int) Math.floor(probability[i] * CALIBRATION_BINS)));
            sum[b] += probability[i];
            pos[b] += positive[i] ? 1 : 0;
            n[b]++;
        }
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            out.add(new CalibrationBin(b / (double) CALIBRATION_BINS, (b + 1) / (double) CALIBRATION_BINS,
                    n[b] == 0 ? 0 : sum[b] / n[b], n[b] == 0 ? 0 : (double) pos[b] / n[b], n[b]));
        }
        return out;
    }
}
