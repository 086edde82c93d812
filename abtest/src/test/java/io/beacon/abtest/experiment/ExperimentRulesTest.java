package io.beacon.abtest.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentRulesTest {

    private static List<String> fields(Experiment e) {
        return ExperimentRules.validate(e.withDefaults()).stream().map(FieldError::field).toList();
    }

    @Test
    void shouldAcceptAMinimalExperimentAndFillGrowthBookDefaults() {
        Experiment e = ExperimentFixtures.twoWay("checkout", ExperimentStatus.DRAFT);
        assertTrue(ExperimentRules.validate(e).isEmpty());
        assertEquals("checkout", e.seed());
        assertEquals(2, e.hashVersion());
        assertEquals("user_id", e.hashAttribute());
        assertEquals(1.0, e.coverage());
        assertEquals(72, e.goalMetrics().get(0).windowHours());
    }

    @Test
    void shouldNameTheFieldOfEachProblem() {
        Experiment base = ExperimentFixtures.twoWay("x", ExperimentStatus.DRAFT);
        Experiment bad = new Experiment("bad key!", null, null, null,
                List.of(new Variation("a", null, 0.7), new Variation("a", null, null)),
                1.5, null, "user_id", null, 3, 0, 1, new Namespace("", 0.5, 0.2), null,
                List.of(new Metric(null, "rev", MetricType.SUM, null, 0)), List.of(), Map.of("u1", 5), 10L, 5L);
        List<String> f = fields(bad);
        for (String expected : List.of("key", "variations[1].key", "variations[1].weight", "coverage", "fallback_attribute",
                "hash_version", "min_bucket_version", "namespace.id", "namespace.end", "goal_metrics[0].property",
                "goal_metrics[0].window_hours", "forced_variations.u1", "end_time")) {
            assertTrue(f.contains(expected), expected + " missing in " + f);
        }
        assertTrue(fields(base).isEmpty());
    }

    @Test
    void shouldRequireWeightsToSumToOne() {
        Experiment e = ExperimentFixtures.weighted("w", 0.5);
        assertTrue(fields(e).isEmpty());
        Experiment off = new Experiment("w", null, null, null,
                List.of(new Variation("a", null, 0.5), new Variation("b", null, 0.6)), null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
        assertEquals(List.of("variations"), fields(off));
    }

    @Test
    void shouldRefuseIllegalStatusMovesAndVariationChangesAfterStart() {
        Experiment running = ExperimentFixtures.twoWay("r", ExperimentStatus.RUNNING);
        Experiment backToDraft = running.withStatus(ExperimentStatus.DRAFT);
        assertEquals("status", ExperimentRules.validateChange(running, backToDraft).get(0).field());
        assertTrue(ExperimentRules.validateChange(running, running.withStatus(ExperimentStatus.STOPPED)).isEmpty());
        Experiment renamed = new Experiment("r", null, null, ExperimentStatus.RUNNING,
                List.of(new Variation("control", null, null), new Variation("other", null, null)), null, null, null, null, null,
                null, null, null, null, null, null, null, null, null).withDefaults();
        assertEquals("variations", ExperimentRules.validateChange(running, renamed).get(0).field());
    }
}
