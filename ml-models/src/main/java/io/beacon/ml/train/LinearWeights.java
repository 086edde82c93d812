package io.beacon.ml.train;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

/**
 * The weights of a Tribuo linear SGD model in the spec's feature order, on the standardized scale: for churn
 * the log-odds weights {@code w_churn − w_stay} (binary softmax = logistic on the difference), for LTV the
 * regression weights. A feature the model never saw has weight 0.
 */
public record LinearWeights(double[] weights, double bias) {

    public LinearWeights {
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    public double weightAt(int i) {
        return weights[i];
    }

    /** The weights of {@code model}, a linear SGD model of {@code task}. */
    public static LinearWeights of(Task task, FeatureSpec spec, Model<?> model) {
        if (!(model instanceof AbstractLinearSGDModel<?> linear)) {
            throw new IllegalArgumentException("not a linear SGD model: " + model.getClass().getName());
        }
        DenseMatrix m = linear.getWeightsCopy();
        int biasColumn = m.getDimension2Size() - 1;
        int row;
        int other;
        if (task == Task.CHURN) {
            Model<Label> c = model.castModel(Label.class);
            row = c.getOutputIDInfo().getID(new Label(ModelPredictor.CHURN));
            other = c.getOutputIDInfo().getID(new Label(ModelPredictor.STAY));
        } else {
            row = 0;
            other = -1;
        }
        ImmutableFeatureMap ids = model.getFeatureIDMap();
        double[] w = new double[spec.size()];
        for (int i = 0; i < w.length; i++) {
            int id = ids.getID(spec.featureNames().get(i));
            w[i] = id < 0 ? 0 : at(m, row, id) - at(m, other, id);
        }
        return new LinearWeights(w, at(m, row, biasColumn) - at(m, other, biasColumn));
    }

    private static double at(DenseMatrix m, int row, int column) {
        return row < 0 ? 0 : m.get(row, column);
    }

    /**
     * The weights folded onto raw (unstandardized) values: {@code w'ᵢ = wᵢ/σᵢ}, {@code b' = b − Σ wᵢμᵢ/σᵢ}, so
     * that {@code b' + w'·x} equals {@code b + w·z}.
     */
    public LinearWeights foldedOnto(Standardization s) {
        double[] w = new double[weights.length];
        double b = bias;
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i] / s.scaleAt(i);
            b -= weights[i] * s.meanAt(i) / s.scaleAt(i);
        }
        return new LinearWeights(w, b);
    }
}
