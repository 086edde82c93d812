package io.beacon.ml.train;

import io.beacon.ml.TrainerKind;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

/**
 * The Tribuo trainers of each {@link TrainerKind} with Beacon's hyper-parameters (docs/ml.md, "Training"),
 * all seeded. Shared by {@link Training} and CSV training.
 */
public final class Trainers {
    /** SGD passes over the data. */
    public static final int EPOCHS = 30;
    /** AdaGrad's initial learning rate. */
    public static final double LEARNING_RATE = 0.1;
    /** The L2 penalty per example of the linear models ({@link L2WeightDecay}); about 1/n for n = 5,600 (scikit-learn C = 1). */
    public static final double L2 = 1e-4;
    /** Depth limit of a CART tree. */
    public static final int CART_MAX_DEPTH = 6;
    /** Boosting rounds of XGBoost. */
    public static final int XGB_TREES = 100;
    /** Depth limit of an XGBoost tree. */
    public static final int XGB_MAX_DEPTH = 4;

    // Tribuo logs through java.util.logging at INFO per 1,000 SGD iterations; held so the level sticks.
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    private Trainers() {
    }

    /** The churn (classification) trainer of {@code kind}. */
    public static Trainer<Label> classification(TrainerKind kind, long seed) {
        switch (kind) {
            case LOGISTIC:
                return new LinearSGDTrainer(new LogMulticlass(), new L2WeightDecay(new AdaGrad(LEARNING_RATE, 0.1), L2, LEARNING_RATE),
                        EPOCHS, Integer.MAX_VALUE, 1, seed);
            case CART:
                return new CARTClassificationTrainer(CART_MAX_DEPTH, 5f, 0f, 1f, false, new GiniIndex(), seed);
            case XGBOOST:
                return new XGBoostClassificationTrainer(XGB_TREES, 0.1, 0, XGB_MAX_DEPTH, 1, 0.8, 0.8, 1, 0, 1, true, seed);
            default:
                throw new IllegalArgumentException("unknown trainer " + kind);
        }
    }

    /** The LTV (regression) trainer of {@code kind}; LOGISTIC maps to linear least squares by SGD. */
    public static Trainer<Regressor> regression(TrainerKind kind, long seed) {
        switch (kind) {
            case LOGISTIC:
                return new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), // full name: two LinearSGDTrainer classes
                        new L2WeightDecay(new AdaGrad(LEARNING_RATE, 0.1), L2, LEARNING_RATE), EPOCHS, Integer.MAX_VALUE, 1, seed);
            case CART:
                return new CARTRegressionTrainer(CART_MAX_DEPTH, 5f, 0f, 1f, false, new MeanSquaredError(), seed);
            case XGBOOST:
                return new XGBoostRegressionTrainer(XGBoostRegressionTrainer.RegressionType.LINEAR, XGB_TREES, 0.1, 0, XGB_MAX_DEPTH,
                        1, 0.8, 0.8, 1, 0, 1, true, seed);
            default:
                throw new IllegalArgumentException("unknown trainer " + kind);
        }
    }
}
