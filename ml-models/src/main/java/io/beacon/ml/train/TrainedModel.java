package io.beacon.ml.train;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.eval.EvaluationReport;
import org.tribuo.Model;

/** A model fresh from {@link Training}: the Tribuo model, what it was trained on, and its holdout evaluation. */
public record TrainedModel(Task task, TrainerKind trainer, FeatureSpec spec, Model<?> model, Standardization standardization,
                           EvaluationReport evaluation, TrainingInfo info) {

    /** The prediction path of this model. */
    public ModelPredictor predictor() {
        return new ModelPredictor(task, trainer, spec, model, standardization);
    }
}
