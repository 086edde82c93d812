package io.beacon.ml.dataset;

/**
 * One training row: a person at a cutoff.
 *
 * @param personId       the person
 * @param cutoffMs       the cutoff T the features were read at
 * @param features       the vector, in the spec's order
 * @param label          churn: 1 churned, 0 stayed; LTV: revenue in (T, T+H]
 * @param revenuePrevH   revenue in (T−H, T], the "repeat last period" LTV baseline (not a feature)
 */
public record DatasetRow(String personId, long cutoffMs, double[] features, double label, double revenuePrevH) {

    public DatasetRow {
        features = features.clone();
    }

    @Override
    public double[] features() {
        return features.clone();
    }

    /** The feature at {@code index} without copying the vector. */
    public double feature(int index) {
        return features[index];
    }
}
