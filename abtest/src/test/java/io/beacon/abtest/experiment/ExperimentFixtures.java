package io.beacon.abtest.experiment;

import java.util.List;
import java.util.Map;

/** Experiments for tests. */
public final class ExperimentFixtures {
    private ExperimentFixtures() {
    }

    public static Experiment twoWay(String key, ExperimentStatus status) {
        return new Experiment(key, null, null, status,
                List.of(new Variation("control", null, null), new Variation("treatment", null, null)),
                null, null, null, null, null, null, null, null, null,
                List.of(new Metric(null, "purchase", MetricType.CONVERSION, null, null)), List.of(), Map.of(), null, null)
                .withDefaults();
    }

    public static Experiment weighted(String key, double controlWeight) {
        Experiment e = twoWay(key, ExperimentStatus.RUNNING);
        return new Experiment(e.key(), e.name(), null, e.status(),
                List.of(new Variation("control", null, controlWeight), new Variation("treatment", null, 1 - controlWeight)),
                e.coverage(), e.hashAttribute(), e.fallbackAttribute(), e.seed(), e.hashVersion(), e.bucketVersion(),
                e.minBucketVersion(), null, null, e.goalMetrics(), List.of(), Map.of(), null, null);
    }
}
