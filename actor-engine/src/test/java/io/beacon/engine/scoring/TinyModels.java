package io.beacon.engine.scoring;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.ModelRefusedException;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.Training;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny models trained here on synthetic rows with ml-models' own {@link Training} and written with {@link ModelStore}:
 * churn follows recency (days since the last event) — a user seen today scores low, one gone for weeks high — and
 * LTV follows 30-day revenue. {@code tilt} shifts the churn labels so a second version scores differently.
 */
public final class TinyModels {
    /** The serving spec of the tests: the base and platform features, no per-event counts. */
    public static final FeatureSpec SPEC = FeatureSpec.of(List.of(), List.of(), FeatureSpec.DEFAULT_HORIZON_MS);
    private static final int RECENCY = SPEC.indexOf(FeatureSpec.RECENCY_DAYS);
    private static final int EVENTS_30D = SPEC.indexOf(FeatureSpec.EVENTS_30D);
    private static final int REVENUE_30D = SPEC.indexOf(FeatureSpec.REVENUE_30D);

    private TinyModels() {
    }

    /** Writes a churn model to {@code store}; {@code churnAfterDays} is where the labels switch from stay to churn. */
    public static ModelManifest writeChurn(ModelStore store, double churnAfterDays, Instant createdAt) {
        return write(store, dataset(Task.CHURN, churnAfterDays, 11), createdAt);
    }

    public static ModelManifest writeLtv(ModelStore store, Instant createdAt) {
        return write(store, dataset(Task.LTV, 0, 12), createdAt);
    }

    public static LoadedModel load(ModelStore store, ModelManifest m) {
        try {
            return store.load(m.version(), m.task(), SPEC);
        } catch (ModelRefusedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelManifest write(ModelStore store, Dataset ds, Instant createdAt) {
        try {
            return store.write(Training.train(ds, TrainerKind.LOGISTIC, 42, line -> { }), createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dataset dataset(Task task, double churnAfterDays, long seed) {
        Random r = new Random(seed);
        List<DatasetRow> rows = new ArrayList<>();
        for (int cutoff = 1; cutoff <= 2; cutoff++) {
            for (int i = 0; i < 300; i++) {
                double[] x = new double[SPEC.size()];
                double recency = r.nextDouble() * 30;
                x[RECENCY] = recency;
                x[SPEC.indexOf(FeatureSpec.TENURE_DAYS)] = recency + r.nextDouble() * 60;
                x[EVENTS_30D] = 1 + r.nextInt(5);
                x[REVENUE_30D] = r.nextInt(4) * 25.0;
                double label = task == Task.CHURN
                        ? (recency + r.nextGaussian() * 2 > churnAfterDays ? 1 : 0)
                        : x[REVENUE_30D] * 0.8 + r.nextGaussian();
                rows.add(new DatasetRow("p" + i, cutoff * 1_000_000L, x, label, 0));
            }
        }
        return new Dataset(task, SPEC, rows);
    }
}
