package io.beacon.ml.registry;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.eval.EvaluationReport;
import io.beacon.ml.train.Standardization;
import io.beacon.ml.train.TrainingInfo;

/**
 * The JSON manifest beside a model file ({@value ModelStore#MANIFEST_FILE}).
 *
 * @param format             manifest format version ({@link #FORMAT})
 * @param version            the version id, equal to the directory name ({@code [a-z0-9-]+})
 * @param task               what the model predicts
 * @param trainer            the trainer family
 * @param createdAt          ISO-8601 instant the artifact was written
 * @param featureSpec        the spec the model was trained on
 * @param featureFingerprint {@link FeatureSpec#fingerprint()} of that spec
 * @param standardization    what the scorer applies before the model
 * @param evaluation         the holdout evaluation
 * @param training           seed, cutoffs, row counts, Tribuo provenance summary
 * @param modelFile          the model file's name in the version directory
 * @param modelSha256        SHA-256 (hex) of the model file's bytes
 */
public record ModelManifest(int format, String version, Task task, TrainerKind trainer, String createdAt, FeatureSpec featureSpec,
                            String featureFingerprint, Standardization standardization, EvaluationReport evaluation,
                            TrainingInfo training, String modelFile, String modelSha256) {
    /** The manifest format this code writes and reads. */
    public static final int FORMAT = 1;
}
