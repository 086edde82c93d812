package io.beacon.ml.csv;

import io.beacon.ml.TrainerKind;
import java.util.List;

/** One trainer's cross-validation: the ROC AUC of each fold (in fold order) and their mean. */
public record TrainerCv(TrainerKind trainer, List<Double> foldAuc, double meanAuc) {

    public TrainerCv {
        foldAuc = List.copyOf(foldAuc);
    }
}
