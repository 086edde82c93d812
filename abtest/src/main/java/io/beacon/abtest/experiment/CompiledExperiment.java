package io.beacon.abtest.experiment;

import io.beacon.abtest.hashing.BucketRanges;
import java.util.List;

/**
 * A running experiment prepared for the assignment hot path: bucket ranges, variation keys and the
 * compiled targeting condition are computed once per config change instead of once per request.
 */
public record CompiledExperiment(Experiment experiment, List<BucketRanges.Range> ranges, String[] variationKeys,
                                 Condition condition) {

    public static CompiledExperiment compile(Experiment e) {
        List<BucketRanges.Range> ranges = BucketRanges.ranges(e.variations().size(), e.coverage(), e.effectiveWeights());
        String[] keys = e.variations().stream().map(Variation::key).toArray(String[]::new);
        return new CompiledExperiment(e, ranges, keys, Condition.of(e.targeting()));
    }
}
