package io.beacon.ml.registry;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.train.ModelPredictor;

/** A model that passed every check of {@link ModelStore#load}: its manifest and its prediction path. */
public record LoadedModel(ModelManifest manifest, ModelPredictor predictor) {

    public String version() {
        return manifest.version();
    }

    public Task task() {
        return manifest.task();
    }

    public TrainerKind trainer() {
        return manifest.trainer();
    }

    public FeatureSpec spec() {
        return manifest.featureSpec();
    }
}
