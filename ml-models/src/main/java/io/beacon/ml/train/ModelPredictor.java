package io.beacon.ml.train;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.Regressor;

/**
 * The one prediction path of a trained model: standardize the raw vector, build a Tribuo example with the
 * spec's feature names, predict. Evaluation and scoring both go through it. Thread-safe: linear and tree models
 * are immutable; XGBoost predictions are serialized on this object.
 */
public final class ModelPredictor {
    /** The churn label's name in Tribuo datasets and models. */
    public static final String CHURN = "churn";
    /** The other label. */
    public static final String STAY = "stay";
    /** The LTV regressor's dimension name. */
    public static final String LTV = "ltv";

    private final Task task;
    private final TrainerKind kind;
    private final Standardization standardization;
    private final String[] names;
    private final Model<Label> classifier;
    private final Model<Regressor> regressor;

    /**
     * @throws ClassCastException when {@code model} does not predict {@code task}'s output type
     */
    public ModelPredictor(Task task, TrainerKind kind, FeatureSpec spec, Model<?> model, Standardization standardization) {
        this.task = task;
        this.kind = kind;
        this.standardization = standardization;
        this.names = spec.featureNames().toArray(new String[0]);
        if (standardization.size() != names.length) {
            throw new IllegalArgumentException("standardization of " + standardization.size() + " features for a spec of " + names.length);
        }
        this.classifier = task == Task.CHURN ? model.castModel(Label.class) : null;
        this.regressor = task == Task.LTV ? model.castModel(Regressor.class) : null;
    }

    public Task task() {
        return task;
    }

    public Standardization standardization() {
        return standardization;
    }

    /** The Tribuo model. */
    public Model<?> model() {
        return task == Task.CHURN ? classifier : regressor;
    }

    /** Churn: the probability of churning; LTV: the predicted revenue. */
    public double predict(double[] raw) {
        double[] z = standardization.apply(raw);
        if (kind == TrainerKind.XGBOOST) {
            synchronized (this) {
                return predictStandardized(z);
            }
        }
        return predictStandardized(z);
    }

    private double predictStandardized(double[] z) {
        if (task == Task.CHURN) {
            Prediction<Label> p = classifier.predict(new ArrayExample<>(new Label(CHURN), names, z));
            Label churn = p.getOutputScores().get(CHURN);
            return churn == null ? 0 : churn.getScore();
        }
        Prediction<Regressor> p = regressor.predict(new ArrayExample<>(new Regressor(LTV, Double.NaN), names, z));
        return p.getOutput().getValues()[0];
    }
}
