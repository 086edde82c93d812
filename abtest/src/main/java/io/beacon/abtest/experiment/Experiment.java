package io.beacon.abtest.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.beacon.abtest.hashing.BucketRanges;
import io.beacon.control.store.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment as stored in the config store under {@code experiment/<project>/<key>} (snake_case JSON,
 * see {@link ExperimentRules} for what is valid). Optional fields may be {@code null} in a submitted
 * document; {@link #withDefaults()} fills them the way GrowthBook SDKs do.
 *
 * @param key               identifier, also the default hashing seed
 * @param name              display name
 * @param description       free text
 * @param status            draft / running / stopped
 * @param variations        at least two; index 0 is the control
 * @param coverage          share of eligible units included, {@code [0, 1]}, default 1
 * @param hashAttribute     the attribute hashed, default {@code user_id}
 * @param fallbackAttribute attribute used when the hash attribute is missing (e.g. {@code device_id})
 * @param seed              hashing seed, default the key
 * @param hashVersion       1 or 2 (default 2)
 * @param bucketVersion     sticky-bucket version; "re-randomize" increments it
 * @param minBucketVersion  units bucketed in an older version are excluded
 * @param namespace         mutual-exclusion namespace, or {@code null}
 * @param targeting         eligibility, or {@code null} for everyone
 * @param goalMetrics       metrics the experiment is decided on
 * @param guardrailMetrics  metrics that must not degrade
 * @param forcedVariations  hash-attribute value → variation index, for QA (never logged as exposures)
 * @param startTime         epoch ms when it started running (set on the first start)
 * @param endTime           epoch ms when it stopped
 */
public record Experiment(
        String key,
        String name,
        String description,
        ExperimentStatus status,
        List<Variation> variations,
        Double coverage,
        String hashAttribute,
        String fallbackAttribute,
        String seed,
        Integer hashVersion,
        Integer bucketVersion,
        Integer minBucketVersion,
        Namespace namespace,
        Targeting targeting,
        List<Metric> goalMetrics,
        List<Metric> guardrailMetrics,
        Map<String, Integer> forcedVariations,
        Long startTime,
        Long endTime) {

    /** The config-store kind. */
    public static final String KIND = "experiment";
    public static final String DEFAULT_HASH_ATTRIBUTE = "user_id";

    public static ConfigKey configKey(String project, String key) {
        return ConfigKey.of(KIND, project, key);
    }

    /** A copy with every default filled in (the stored form). */
    public Experiment withDefaults() {
        List<Variation> vs = variations == null ? List.of() : variations;
        return new Experiment(key, name == null || name.isBlank() ? key : name, description,
                status == null ? ExperimentStatus.DRAFT : status,
                vs.stream().map(v -> v == null ? null : new Variation(v.key(), v.name() == null ? v.key() : v.name(), v.weight())).toList(),
                coverage == null ? 1.0 : coverage,
                hashAttribute == null || hashAttribute.isBlank() ? DEFAULT_HASH_ATTRIBUTE : hashAttribute,
                fallbackAttribute == null || fallbackAttribute.isBlank() ? null : fallbackAttribute,
                seed == null || seed.isEmpty() ? key : seed,
                hashVersion == null ? 2 : hashVersion,
                bucketVersion == null ? 0 : bucketVersion,
                minBucketVersion == null ? 0 : minBucketVersion,
                namespace, targeting,
                metrics(goalMetrics), metrics(guardrailMetrics),
                forcedVariations == null ? Map.of() : Map.copyOf(forcedVariations),
                startTime, endTime);
    }

    private static List<Metric> metrics(List<Metric> ms) {
        if (ms == null) {
            return List.of();
        }
        List<Metric> out = new ArrayList<>(ms.size());
        for (Metric m : ms) {
            out.add(m == null ? null : m.withDefaults());
        }
        return out;
    }

    /** The variations' weights, equal when none were given. */
    @JsonIgnore
    public List<Double> effectiveWeights() {
        if (variations.stream().allMatch(v -> v.weight() != null)) {
            return variations.stream().map(Variation::weight).toList();
        }
        return BucketRanges.equalWeights(variations.size());
    }

    /** The sticky-bucket assignment key, GrowthBook's {@code <key>__<bucketVersion>}. */
    @JsonIgnore
    public String stickyKey() {
        return key + "__" + bucketVersion;
    }

    public int variationIndex(String variationKey) {
        for (int i = 0; i < variations.size(); i++) {
            if (variations.get(i).key().equals(variationKey)) {
                return i;
            }
        }
        return -1;
    }

    public Experiment withStatus(ExperimentStatus s) {
        return new Experiment(key, name, description, s, variations, coverage, hashAttribute, fallbackAttribute, seed,
                hashVersion, bucketVersion, minBucketVersion, namespace, targeting, goalMetrics, guardrailMetrics,
                forcedVariations, startTime, endTime);
    }

    public Experiment withTimes(Long start, Long end) {
        return new Experiment(key, name, description, status, variations, coverage, hashAttribute, fallbackAttribute, seed,
                hashVersion, bucketVersion, minBucketVersion, namespace, targeting, goalMetrics, guardrailMetrics,
                forcedVariations, start, end);
    }

    /** Re-randomized: a new seed and the next bucket version, so every unit is hashed afresh. */
    public Experiment withNewRandomization(String newSeed, boolean excludePreviouslyBucketed) {
        int next = bucketVersion + 1;
        return new Experiment(key, name, description, status, variations, coverage, hashAttribute, fallbackAttribute, newSeed,
                hashVersion, next, excludePreviouslyBucketed ? next : minBucketVersion, namespace, targeting, goalMetrics,
                guardrailMetrics, forcedVariations, startTime, endTime);
    }
}
