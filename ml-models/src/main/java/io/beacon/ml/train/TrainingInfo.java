package io.beacon.ml.train;

import java.util.List;
import java.util.Map;

/**
 * How a model was trained: the seed, the cutoffs (the newest was the holdout), the row counts and a summary of
 * Tribuo's provenance ({@code tribuo_version}, {@code model_class}, {@code trainer_class}, {@code trainer},
 * {@code training_time}).
 */
public record TrainingInfo(long seed, List<Long> cutoffs, int trainRows, int testRows, Map<String, String> provenance) {

    public TrainingInfo {
        cutoffs = List.copyOf(cutoffs);
        provenance = Map.copyOf(provenance);
    }
}
