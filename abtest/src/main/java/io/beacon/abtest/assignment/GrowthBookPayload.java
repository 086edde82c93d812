package io.beacon.abtest.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.Variation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The features payload GrowthBook SDKs fetch ({@code GET /api/features/<clientKey>}), so an SDK can
 * evaluate Beacon's running experiments locally and bucket exactly as the assignment API does. Each
 * experiment becomes a feature of the same key whose value is the variation key (default: the control's
 * key) with, in order, one force rule per forced variation and one experiment rule carrying key, seed,
 * hash attribute and version, fallback attribute, bucket versions, coverage, weights, namespace,
 * condition and variation meta. SDK users must name their attributes like Beacon's ({@code user_id},
 * {@code device_id}, traits, and {@code segments} for segment targeting), and should report exposures as
 * {@code $experiment_exposure} events with {@code experiment_key} and {@code variation_key} properties.
 */
public final class GrowthBookPayload {
    private GrowthBookPayload() {
    }

    public static ObjectNode build(List<CompiledExperiment> running, long nowMs) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("status", 200);
        ObjectNode features = root.putObject("features");
        for (CompiledExperiment c : running) {
            Experiment e = c.experiment();
            ObjectNode feature = features.putObject(e.key());
            feature.put("defaultValue", e.variations().get(0).key());
            ArrayNode rules = feature.putArray("rules");
            for (Map.Entry<String, Integer> f : e.forcedVariations().entrySet()) {
                ObjectNode rule = rules.addObject();
                rule.putObject("condition").put(e.hashAttribute(), f.getKey());
                rule.put("force", e.variations().get(f.getValue()).key());
            }
            ObjectNode rule = rules.addObject();
            rule.put("key", e.key());
            rule.put("name", e.name());
            rule.put("seed", e.seed());
            rule.put("hashAttribute", e.hashAttribute());
            if (e.fallbackAttribute() != null) {
                rule.put("fallbackAttribute", e.fallbackAttribute());
            }
            rule.put("hashVersion", e.hashVersion());
            rule.put("bucketVersion", e.bucketVersion());
            rule.put("minBucketVersion", e.minBucketVersion());
            rule.put("phase", Integer.toString(e.bucketVersion()));
            rule.put("coverage", e.coverage());
            ArrayNode variations = rule.putArray("variations");
            ArrayNode weights = rule.putArray("weights");
            ArrayNode meta = rule.putArray("meta");
            List<Double> w = e.effectiveWeights();
            for (int i = 0; i < e.variations().size(); i++) {
                Variation v = e.variations().get(i);
                variations.add(v.key());
                weights.add(w.get(i));
                meta.addObject().put("key", v.key()).put("name", v.name());
            }
            if (e.namespace() != null) {
                rule.putArray("namespace").add(e.namespace().id()).add(e.namespace().start()).add(e.namespace().end());
            }
            JsonNode condition = c.condition().json();
            if (condition != null) {
                rule.set("condition", condition);
            }
        }
        root.putArray("experiments");
        root.put("dateUpdated", Instant.ofEpochMilli(nowMs).toString());
        return root;
    }
}
