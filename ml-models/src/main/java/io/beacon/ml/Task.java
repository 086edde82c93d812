package io.beacon.ml;

import java.util.Locale;

/** What a model predicts: churn (a probability, classification) or LTV (revenue in the horizon, regression). */
public enum Task {
    CHURN, LTV;

    /** The lower-case name used on the command line, in version ids and manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The task named {@code id} (case-insensitive). */
    public static Task of(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
