package io.beacon.engine.scoring;

import io.beacon.ml.Task;

/**
 * The names scores have in a user's state (what segment rules and the profile API read): {@value #CHURN_RISK} and
 * {@value #LTV_PREDICTED} hold the champion model's value; a challenger's value is stored beside it under the same
 * name with {@value #CHALLENGER_SUFFIX} appended ({@code churn_risk@challenger}).
 */
public final class ScoreNames {
    public static final String CHURN_RISK = "churn_risk";
    public static final String LTV_PREDICTED = "ltv_predicted";
    public static final String CHALLENGER_SUFFIX = "@challenger";

    private ScoreNames() {
    }

    /** The champion's score name of {@code task}. */
    public static String of(Task task) {
        return task == Task.CHURN ? CHURN_RISK : LTV_PREDICTED;
    }

    /** The challenger's score name of {@code task}. */
    public static String challengerOf(Task task) {
        return of(task) + CHALLENGER_SUFFIX;
    }
}
