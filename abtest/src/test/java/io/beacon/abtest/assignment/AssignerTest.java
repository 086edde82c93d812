package io.beacon.abtest.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentStatus;
import io.beacon.abtest.experiment.Namespace;
import io.beacon.abtest.experiment.Targeting;
import io.beacon.abtest.experiment.Variation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Assignment cases taken from GrowthBook's spec suite ("feature" and "stickyBucket" sections) and Beacon's rules. */
class AssignerTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static Experiment experiment(String key, String seed, int hashVersion, String hashAttribute, String fallback,
                                         List<Double> weights, double coverage, int bucketVersion, int minBucketVersion,
                                         Namespace ns, Targeting targeting, Map<String, Integer> forced) {
        List<Variation> vs = new java.util.ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            vs.add(new Variation(Integer.toString(i), null, weights.get(i)));
        }
        return new Experiment(key, null, null, ExperimentStatus.RUNNING, vs, coverage, hashAttribute, fallback, seed, hashVersion,
                bucketVersion, minBucketVersion, ns, targeting, List.of(), List.of(), forced, null, null).withDefaults();
    }

    private static CompiledExperiment stickyExperiment(int bucketVersion, int minBucketVersion) {
        return CompiledExperiment.compile(experiment("feature-exp", "feature-exp", 2, "id", "deviceId",
                List.of(0.3334, 0.3333, 0.3333), 1, bucketVersion, minBucketVersion, null, null, Map.of()));
    }

    private static JsonNode attrs(String json) throws Exception {
        return M.readTree(json);
    }

    @Test
    void shouldBucketLikeTheSpecEmptyExperimentRule() throws Exception {
        CompiledExperiment c = CompiledExperiment.compile(experiment("feature", "feature", 1, "id", null,
                List.of(1 / 3.0, 1 / 3.0, 1 / 3.0), 1, 0, 0, null, null, Map.of()));
        Assignment a = Assigner.assign(c, attrs("{\"id\":\"123\"}"), Map.of(), null, null).orElseThrow();
        assertEquals(2, a.variationIndex());
        assertEquals(0.863, a.bucket(), 1e-12);
        assertTrue(a.inExperiment());
        assertEquals(0, Assigner.assign(c, attrs("{\"id\":\"456\"}"), Map.of(), null, null).orElseThrow().variationIndex());
        assertEquals(1, Assigner.assign(c, attrs("{\"id\":\"fds\"}"), Map.of(), null, null).orElseThrow().variationIndex());
        // an integer attribute hashes as its decimal text ("handles integer hashAttribute")
        assertEquals(0.863, Assigner.assign(c, attrs("{\"id\":123}"), Map.of(), null, null).orElseThrow().bucket(), 1e-12);
    }

    @Test
    void shouldUseTheFallbackAttributeAndItsStickyBucket() throws Exception {
        StickyBucketDoc doc = new StickyBucketDoc("deviceId", "d123", Map.of("feature-exp__0", "2"));
        Assignment a = Assigner.assign(stickyExperiment(0, 0), attrs("{\"deviceId\":\"d123\",\"country\":\"USA\"}"), Map.of(), null, doc)
                .orElseThrow();
        assertEquals(2, a.variationIndex());
        assertTrue(a.stickyBucketUsed());
        assertEquals("deviceId", a.hashAttribute());
        Assignment fresh = Assigner.assign(stickyExperiment(0, 0), attrs("{\"deviceId\":\"d123\"}"), Map.of(), null, null).orElseThrow();
        assertEquals(1, fresh.variationIndex());
        assertEquals(0.6468, fresh.bucket(), 1e-12);
    }

    @Test
    void shouldIgnoreStickyBucketsOfAnOlderBucketVersion() throws Exception {
        StickyBucketDoc doc = new StickyBucketDoc("id", "i123", Map.of("feature-exp__0", "1"));
        Assignment a = Assigner.assign(stickyExperiment(3, 0), attrs("{\"id\":\"i123\"}"), Map.of(), doc, null).orElseThrow();
        assertEquals(2, a.variationIndex());
        assertFalse(a.stickyBucketUsed());
        assertEquals(0.9943, a.bucket(), 1e-12);
    }

    @Test
    void shouldExcludeUnitsBucketedBelowTheMinimumBucketVersion() throws Exception {
        StickyBucketDoc doc = new StickyBucketDoc("id", "i123", Map.of("feature-exp__0", "1"));
        Assignment a = Assigner.assign(stickyExperiment(3, 3), attrs("{\"id\":\"i123\"}"), Map.of(), doc, null).orElseThrow();
        assertFalse(a.inExperiment());
    }

    @Test
    void shouldForceVariationsFromTheRequestAndFromTheDocument() throws Exception {
        CompiledExperiment c = CompiledExperiment.compile(experiment("f", "f", 2, "user_id", null, List.of(0.5, 0.5), 1, 0, 0,
                null, null, Map.of("qa-user", 1)));
        Assignment doc = Assigner.assign(c, attrs("{\"user_id\":\"qa-user\"}"), Map.of(), null, null).orElseThrow();
        assertTrue(doc.forced());
        assertEquals(1, doc.variationIndex());
        assertFalse(doc.loggable());
        Assignment req = Assigner.assign(c, attrs("{\"user_id\":\"x\"}"), Map.of("f", 0), null, null).orElseThrow();
        assertTrue(req.forced());
        assertEquals(0, req.variationIndex());
    }

    @Test
    void shouldLeaveUnitsOutsideCoverageOrNamespaceOutOfTheExperiment() throws Exception {
        // user 3 is in [0, 0.4) of namespace2 and not in [0.4, 1) (spec inNamespace cases)
        CompiledExperiment ns = CompiledExperiment.compile(experiment("n", "n", 2, "user_id", null, List.of(0.5, 0.5), 1, 0, 0,
                new Namespace("namespace2", 0.4, 1), null, Map.of()));
        assertFalse(Assigner.assign(ns, attrs("{\"user_id\":\"3\"}"), Map.of(), null, null).orElseThrow().inExperiment());
        assertTrue(Assigner.assign(ns, attrs("{\"user_id\":\"1\"}"), Map.of(), null, null).orElseThrow().inExperiment());
        CompiledExperiment none = CompiledExperiment.compile(experiment("z", "z", 2, "user_id", null, List.of(0.5, 0.5), 0, 0, 0,
                null, null, Map.of()));
        Assignment out = Assigner.assign(none, attrs("{\"user_id\":\"u\"}"), Map.of(), null, null).orElseThrow();
        assertFalse(out.inExperiment());
        assertEquals(0, out.variationIndex());
    }

    @Test
    void shouldSkipUnitsThatFailTargetingOrLackTheHashAttribute() throws Exception {
        Targeting t = new Targeting(M.readTree("{\"country\":{\"$in\":[\"US\",\"CA\"]}}"), null);
        CompiledExperiment c = CompiledExperiment.compile(experiment("t", "t", 2, "user_id", null, List.of(0.5, 0.5), 1, 0, 0,
                null, t, Map.of()));
        assertTrue(Assigner.assign(c, attrs("{\"user_id\":\"u\",\"country\":\"US\"}"), Map.of(), null, null).isPresent());
        assertTrue(Assigner.assign(c, attrs("{\"user_id\":\"u\",\"country\":\"FR\"}"), Map.of(), null, null).isEmpty());
        assertTrue(Assigner.assign(c, attrs("{\"device_id\":\"d\",\"country\":\"US\"}"), Map.of(), null, null).isEmpty());
    }

    @Test
    void shouldSplitManyUnitsAccordingToTheWeights() throws Exception {
        CompiledExperiment c = CompiledExperiment.compile(experiment("split", "split", 2, "user_id", null, List.of(0.2, 0.8), 1, 0, 0,
                null, null, Map.of()));
        int treatment = 0;
        for (int i = 0; i < 20_000; i++) {
            treatment += Assigner.assign(c, attrs("{\"user_id\":\"user-" + i + "\"}"), Map.of(), null, null).orElseThrow().variationIndex();
        }
        assertEquals(0.8, treatment / 20_000.0, 0.01);
    }
}
