package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.experiment.Condition;
import io.beacon.abtest.runtime.Abtest;
import io.beacon.gateway.FeatureFlags;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The gateway's {@link FeatureFlags} port (posthog-js's {@code /flags} and {@code /decide}) served by
 * the A/B testing module: one flag per running experiment the user is eligible for, keyed by the
 * experiment key, valued with the variation key when the user is in the experiment and {@code false}
 * when not (outside coverage or namespace: posthog-js then shows the default experience, and its
 * {@code $feature_flag_called} carries {@code false}). The unit is {@code user_id = distinct_id},
 * {@code device_id = $device_id}, traits from {@code person_properties}, exactly as
 * {@code GET /api/v1/assignments?user_id=<distinct_id>} computes it (same sticky buckets). Served
 * assignments are logged as exposures, but without waiting for them (the port is synchronous): unlike the
 * assignment API's answer, a flags answer does not guarantee its exposure survives a crash. posthog-js
 * reports the exposures it shows as {@code $feature_flag_called} events, which the warehouse also turns
 * into {@code experiment_exposures} rows (migration 9), so that path is covered at least once by the SDK.
 * Experiments that target segments read the unit's realtime memberships like the assignment API does,
 * waiting at most the lookup timeout (a {@code segments} person property is ignored: the SDK sends scalars
 * only, never a list of segment ids).
 *
 * <p>The gateway is built before the A/B module in {@link BeaconNode}, so the module is
 * {@linkplain #attach attached} once started; until then there are no flags.
 */
final class AbtestFeatureFlags implements FeatureFlags {
    private volatile Abtest abtest;
    private final boolean logExposures;

    AbtestFeatureFlags(boolean logExposures) {
        this.logExposures = logExposures;
    }

    void attach(Abtest abtest) {
        this.abtest = abtest;
    }

    @Override
    public Map<String, Object> flagsFor(String projectId, String distinctId, Map<String, Object> personProperties) {
        Abtest a = abtest;
        if (a == null) {
            return Map.of();
        }
        JsonNode attributes = withSegments(a, projectId, unit(distinctId, personProperties));
        List<Assignment> assignments = a.assignments().assign(projectId, attributes, Map.of(), null, logExposures);
        Map<String, Object> flags = new LinkedHashMap<>(assignments.size() * 2);
        for (Assignment assignment : assignments) {
            flags.put(assignment.experimentKey(), assignment.inExperiment() ? assignment.variationKey() : Boolean.FALSE);
        }
        return flags;
    }

    /**
     * The unit with its realtime segments when a running experiment targets segments (at once otherwise). The
     * port is synchronous, so this waits — at most the lookup timeout ({@code beacon.abtest.segment-lookup-timeout},
     * 50 ms), which the A/B module enforces; a failed or late lookup throws, and the gateway answers
     * {@code errorsWhileComputingFlags: true} with no flags (posthog-js keeps the flags it had).
     */
    private static JsonNode withSegments(Abtest a, String projectId, JsonNode unit) {
        CompletableFuture<JsonNode> resolved = a.assignments().withSegments(projectId, unit, null).toCompletableFuture();
        try {
            // complete already when no running experiment targets segments (the usual case); otherwise bounded
            // by the service's lookup timeout
            return resolved.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public boolean hasFlags(String projectId) {
        Abtest a = abtest;
        return a == null || !a.catalog().running(projectId).isEmpty();
    }

    /** The unit's attributes: person properties as traits, then the ids (which win over same-named traits). */
    static ObjectNode unit(String distinctId, Map<String, Object> personProperties) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        personProperties.forEach((k, v) -> {
            if (k.startsWith("$")) {
                return; // SDK bookkeeping ($initial_referrer, $device_id, …), not traits
            }
            if (k.equals(Condition.SEGMENTS_ATTRIBUTE)) {
                return; // only scalars arrive, never a list of segments: the engine's memberships are used instead
            }
            if (v instanceof String s) {
                attributes.put(k, s);
            } else if (v instanceof Boolean b) {
                attributes.put(k, b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                attributes.put(k, ((Number) v).longValue());
            } else if (v instanceof BigInteger n) {
                attributes.put(k, n);
            } else if (v instanceof BigDecimal n) {
                attributes.put(k, n);
            } else if (v instanceof Number n) {
                attributes.put(k, n.doubleValue());
            }
        });
        attributes.put("user_id", distinctId);
        if (personProperties.get("$device_id") instanceof String device && !device.isBlank()) {
            attributes.put("device_id", device);
        } else {
            attributes.remove("device_id");
        }
        return attributes;
    }

    @Override
    public String toString() {
        return "AbtestFeatureFlags[" + (abtest == null ? "not attached" : "attached") + "]";
    }
}
