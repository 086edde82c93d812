package io.beacon.abtest.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.UnitAttributes;
import io.beacon.abtest.experiment.CompiledExperiment;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.hashing.BucketRanges;
import io.beacon.abtest.hashing.GrowthBookHash;
import java.util.Map;
import java.util.Optional;

/**
 * Decides one unit's variation in one running experiment, following the order of GrowthBook's
 * {@code _runExperiment}:
 * <ol>
 *   <li>the hash attribute's value (or the fallback attribute's) — missing: not eligible;</li>
 *   <li>a forced variation (request-level, then the experiment's {@code forced_variations}) — QA;</li>
 *   <li>a sticky assignment for {@code <key>__<bucketVersion>} — kept even if targeting or weights
 *       changed; one from a version below {@code min_bucket_version} excludes the unit;</li>
 *   <li>targeting (trait condition, segments) — not matching: not eligible;</li>
 *   <li>namespace — outside its range: not in the experiment;</li>
 *   <li>hash {@code (seed, value, hashVersion)} and bucket ranges — outside every range: not in it.</li>
 * </ol>
 * Pure: the caller supplies the sticky documents and stores what is new.
 */
public final class Assigner {
    private Assigner() {
    }

    /**
     * @param attributes the unit's attributes ({@code user_id}, {@code device_id}, traits, {@code segments})
     * @param forced     request-level forced variations (experiment key → index), may be empty
     * @param stickyPrimary  the unit's sticky document for the hash attribute (may be null)
     * @param stickyFallback the unit's sticky document for the fallback attribute (may be null)
     * @return the assignment, or empty when the unit is not eligible
     */
    public static Optional<Assignment> assign(CompiledExperiment compiled, JsonNode attributes, Map<String, Integer> forced,
                                              StickyBucketDoc stickyPrimary, StickyBucketDoc stickyFallback) {
        Experiment e = compiled.experiment();
        String attribute = e.hashAttribute();
        String value = UnitAttributes.text(attributes.get(attribute));
        StickyBucketDoc sticky = stickyPrimary;
        if (value == null && e.fallbackAttribute() != null) {
            attribute = e.fallbackAttribute();
            value = UnitAttributes.text(attributes.get(attribute));
            sticky = stickyFallback;
        } else if (sticky == null) {
            sticky = stickyFallback;
        }
        if (value == null) {
            return Optional.empty();
        }
        Integer force = forced.get(e.key());
        if (force == null) {
            force = e.forcedVariations().get(value);
        }
        if (force != null && force >= 0 && force < compiled.variationKeys().length) {
            return Optional.of(Assignment.forcedTo(e.key(), force, compiled.variationKeys()[force], attribute, value,
                    e.bucketVersion()));
        }
        if (sticky != null && !sticky.assignments().isEmpty()) {
            String stuck = sticky.assignments().get(e.stickyKey());
            if (stuck != null) {
                int index = e.variationIndex(stuck);
                if (index >= 0) {
                    return Optional.of(Assignment.fromStickyBucket(e.key(), index, stuck, attribute, value, e.bucketVersion()));
                }
            }
            if (blockedByMinBucketVersion(e, sticky)) {
                return Optional.of(notIn(compiled, attribute, value, Double.NaN));
            }
        }
        if (!compiled.condition().matches(attributes)) {
            return Optional.empty();
        }
        if (e.namespace() != null && !BucketRanges.inNamespace(value, e.namespace().id(), e.namespace().start(), e.namespace().end())) {
            return Optional.of(notIn(compiled, attribute, value, Double.NaN));
        }
        double n = GrowthBookHash.hashOrNaN(e.seed(), value, e.hashVersion());
        if (Double.isNaN(n)) {
            return Optional.of(notIn(compiled, attribute, value, n));
        }
        int index = BucketRanges.chooseVariation(n, compiled.ranges());
        if (index < 0) {
            return Optional.of(notIn(compiled, attribute, value, n));
        }
        return Optional.of(Assignment.hashed(e.key(), index, compiled.variationKeys()[index], attribute, value, n, e.bucketVersion()));
    }

    private static boolean blockedByMinBucketVersion(Experiment e, StickyBucketDoc sticky) {
        if (e.minBucketVersion() <= 0) {
            return false;
        }
        String prefix = e.key() + "__";
        for (String k : sticky.assignments().keySet()) {
            if (k.startsWith(prefix)) {
                try {
                    if (Integer.parseInt(k.substring(prefix.length())) < e.minBucketVersion()) {
                        return true;
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        return false;
    }

    private static Assignment notIn(CompiledExperiment c, String attribute, String value, double n) {
        Experiment e = c.experiment();
        return Assignment.notInExperiment(e.key(), c.variationKeys()[0], attribute, value, n, e.bucketVersion());
    }
}
