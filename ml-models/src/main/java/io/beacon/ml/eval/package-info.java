/**
 * Model evaluation, computed here rather than trusted to Tribuo: {@link io.beacon.ml.eval.Auc} (ROC AUC by
 * ranks, ties averaged; PR AUC as average precision) and {@link io.beacon.ml.eval.Evaluation} (the churn and
 * LTV reports with calibration and baselines).
 */
package io.beacon.ml.eval;
