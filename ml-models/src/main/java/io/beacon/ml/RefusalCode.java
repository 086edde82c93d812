package io.beacon.ml;

/** Why a model artifact was refused; {@link #code()} is the machine code shown to users and APIs. */
public enum RefusalCode {
    /** No such version in the model directory. */
    MODEL_NOT_FOUND("model_not_found"),
    /** The manifest or the model bytes cannot be parsed. */
    MODEL_CORRUPT("model_corrupt"),
    /** The model bytes' SHA-256 differs from the manifest's. */
    MODEL_TAMPERED("model_tampered"),
    /** The model predicts another task than the one asked for. */
    MODEL_WRONG_TASK("model_wrong_task"),
    /** The model's feature fingerprint differs from the serving feature spec's. */
    MODEL_INCOMPATIBLE_FEATURES("model_incompatible_features"),
    /** The version id or a file path leaves the model directory. */
    MODEL_OUTSIDE_DIR("model_outside_dir");

    private final String code;

    RefusalCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
