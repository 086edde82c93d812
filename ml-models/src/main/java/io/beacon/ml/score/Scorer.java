package io.beacon.ml.score;

import io.beacon.ml.Contribution;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Score;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.eval.FeatureWeight;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.train.Importance;
import io.beacon.ml.train.LinearWeights;
import io.beacon.ml.train.ModelPredictor;
import io.beacon.ml.train.Standardization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores raw feature vectors (in the model's spec order) with a {@link LoadedModel}. Linear models take a fast
 * path: the weight vector is read once from Tribuo's model and folded onto raw values
 * ({@link LinearWeights#foldedOnto}), a score is one dot product (and a logistic for churn), with no allocation;
 * it equals Tribuo's {@code predict()} to rounding. Trees and XGBoost go through {@link ModelPredictor}.
 * Immutable and thread-safe.
 */
public final class Scorer {
    private final LoadedModel model;
    private final Task task;
    private final String version;
    private final FeatureSpec spec;
    private final ModelPredictor predictor;
    private final Standardization standardization;
    private final LinearWeights standardized;
    private final double[] folded;
    private final double foldedBias;
    private final Map<String, Double> importance;

    private Scorer(LoadedModel model) {
        this.model = model;
        this.task = model.task();
        this.version = model.version();
        this.spec = model.spec();
        this.predictor = model.predictor();
        this.standardization = predictor.standardization();
        if (model.trainer() == TrainerKind.LOGISTIC) {
            this.standardized = LinearWeights.of(task, spec, predictor.model());
            LinearWeights f = standardized.foldedOnto(standardization);
            this.folded = f.weights();
            this.foldedBias = f.bias();
            this.importance = Map.of();
        } else {
            this.standardized = null;
            this.folded = null;
            this.foldedBias = 0;
            Map<String, Double> m = new HashMap<>();
            for (FeatureWeight w : Importance.top(task, model.trainer(), spec, predictor.model(), Integer.MAX_VALUE)) {
                m.put(w.feature(), w.weight());
            }
            this.importance = Map.copyOf(m);
        }
    }

    /** The scorer of {@code model}. */
    public static Scorer of(LoadedModel model) {
        return new Scorer(model);
    }

    public LoadedModel model() {
        return model;
    }

    /** Whether scores take the linear dot-product path. */
    public boolean fastPath() {
        return folded != null;
    }

    /** The score of {@code features} with this model's version. */
    public Score score(double[] features) {
        return new Score(value(features), version);
    }

    /** The score's value alone (no allocation on the fast path). */
    public double value(double[] features) {
        if (features.length != spec.size()) {
            throw new IllegalArgumentException(features.length + " features for a model of " + spec.size());
        }
        if (folded == null) {
            return predictor.predict(features);
        }
        double s = foldedBias;
        for (int i = 0; i < folded.length; i++) {
            s += folded[i] * features[i];
        }
        return task == Task.CHURN ? 1 / (1 + Math.exp(-s)) : s;
    }

    /** The value through Tribuo's own {@code predict()}, for checking the fast path. */
    public double valueByTribuo(double[] features) {
        return predictor.predict(features);
    }

    /**
     * The {@code k} features that contributed most, by absolute contribution: linear models weight × standardized
     * value (log-odds for churn); trees Tribuo's importance of each present (non-zero) feature.
     */
    public List<Contribution> explain(double[] features, int k) {
        List<Contribution> out = new ArrayList<>();
        for (int i = 0; i < spec.size(); i++) {
            String name = spec.featureNames().get(i);
            double c;
            if (standardized != null) {
                c = standardized.weightAt(i) * (features[i] - standardization.meanAt(i)) / standardization.scaleAt(i);
            } else {
                c = features[i] != 0 ? importance.getOrDefault(name, 0.0) : 0;
            }
            if (c != 0) {
                out.add(new Contribution(name, features[i], c));
            }
        }
        out.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())).thenComparing(Contribution::feature));
        return List.copyOf(out.subList(0, Math.min(k, out.size())));
    }
}
