package io.beacon.ml;

import java.util.Locale;

/**
 * The trainer family: {@link #LOGISTIC} (L2 logistic regression for churn, linear least squares for LTV,
 * both by SGD with AdaGrad), {@link #CART} (one decision tree) and {@link #XGBOOST} (gradient-boosted trees).
 */
public enum TrainerKind {
    LOGISTIC, CART, XGBOOST;

    /** The lower-case name used on the command line, in version ids and manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The trainer named {@code id} (case-insensitive). */
    public static TrainerKind of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
