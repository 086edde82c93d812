package io.beacon.ml.eval;

import io.beacon.ml.Task;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of a model on its holdout, as stored in the manifest and printed by the CLI.
 *
 * @param task        what was evaluated
 * @param testRows    holdout rows
 * @param metrics     churn: {@code roc_auc, pr_auc, log_loss, positive_rate}; LTV: {@code rmse, mae, r2} and the
 *                    same with the suffixes {@code _mean_baseline} and {@code _last_period_baseline}
 * @param calibration churn: 10 bins of width 0.1; LTV: empty
 * @param topFeatures the most important features, largest first
 */
public record EvaluationReport(Task task, int testRows, Map<String, Double> metrics, List<CalibrationBin> calibration,
                               List<FeatureWeight> topFeatures) {

    public EvaluationReport {
        metrics = Map.copyOf(metrics);
        calibration = List.copyOf(calibration);
        topFeatures = List.copyOf(topFeatures);
    }

    /** The metric {@code name}; {@link IllegalArgumentException} when the report has none. */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
        }
        return v;
    }
}
