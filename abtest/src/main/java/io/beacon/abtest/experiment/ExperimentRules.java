package io.beacon.abtest.experiment;

import io.beacon.control.FieldError;
import io.beacon.control.NameRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a valid experiment is. Errors name the snake_case JSON field ({@code variations[1].weight},
 * {@code namespace.end}); the API answers 400 with the first.
 */
public final class ExperimentRules {
    /** Keys appear in URLs, config keys, SQL literals and SDK payloads: keep them plain. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_.$-]{0,99}");
    public static final int MAX_VARIATIONS = 20;
    public static final int MAX_WINDOW_HOURS = 24 * 365;

    private ExperimentRules() {
    }

    /** Problems of {@code e} (already {@link Experiment#withDefaults() defaulted}); empty when valid. */
    public static List<FieldError> validate(Experiment e) {
        List<FieldError> errors = new ArrayList<>();
        key("key", e.key(), errors);
        if (e.name() != null) {
            NameRules.checkName(e.name()).ifPresent(m -> errors.add(new FieldError("name", m)));
        }
        variations(e, errors);
        if (e.coverage() < 0 || e.coverage() > 1 || Double.isNaN(e.coverage())) {
            errors.add(new FieldError("coverage", "must be between 0 and 1"));
        }
        attribute("hash_attribute", e.hashAttribute(), errors);
        if (e.fallbackAttribute() != null) {
            attribute("fallback_attribute", e.fallbackAttribute(), errors);
            if (e.fallbackAttribute().equals(e.hashAttribute())) {
                errors.add(new FieldError("fallback_attribute", "must differ from hash_attribute"));
            }
        }
        if (e.hashVersion() != 1 && e.hashVersion() != 2) {
            errors.add(new FieldError("hash_version", "must be 1 or 2"));
        }
        if (e.bucketVersion() < 0) {
            errors.add(new FieldError("bucket_version", "must be >= 0"));
        }
        if (e.minBucketVersion() < 0 || e.minBucketVersion() > e.bucketVersion()) {
            errors.add(new FieldError("min_bucket_version", "must be between 0 and bucket_version"));
        }
        if (e.namespace() != null) {
            Namespace ns = e.namespace();
            if (ns.id() == null || ns.id().isBlank()) {
                errors.add(new FieldError("namespace.id", "must not be empty"));
            }
            if (ns.start() < 0 || ns.start() > 1) {
                errors.add(new FieldError("namespace.start", "must be between 0 and 1"));
            }
            if (ns.end() <= ns.start() || ns.end() > 1) {
                errors.add(new FieldError("namespace.end", "must be greater than start and at most 1"));
            }
        }
        if (e.targeting() != null) {
            if (e.targeting().condition() != null && !e.targeting().condition().isNull() && !e.targeting().condition().isObject()) {
                errors.add(new FieldError("targeting.condition", "must be a JSON object"));
            }
            List<String> segments = e.targeting().segments();
            for (int i = 0; segments != null && i < segments.size(); i++) {
                if (segments.get(i) == null || segments.get(i).isBlank()) {
                    errors.add(new FieldError("targeting.segments[" + i + "]", "must not be empty"));
                }
            }
        }
        metrics("goal_metrics", e.goalMetrics(), errors);
        metrics("guardrail_metrics", e.guardrailMetrics(), errors);
        for (Map.Entry<String, Integer> f : e.forcedVariations().entrySet()) {
            if (f.getValue() == null || f.getValue() < 0 || f.getValue() >= e.variations().size()) {
                errors.add(new FieldError("forced_variations." + f.getKey(), "must be a variation index (0.." + (e.variations().size() - 1) + ")"));
            }
        }
        if (e.startTime() != null && e.endTime() != null && e.endTime() < e.startTime()) {
            errors.add(new FieldError("end_time", "must not be before start_time"));
        }
        return errors;
    }

    /**
     * Problems of changing {@code before} into {@code after} (both valid): illegal status moves, and
     * changes that would silently corrupt a running experiment's data.
     */
    public static List<FieldError> validateChange(Experiment before, Experiment after) {
        List<FieldError> errors = new ArrayList<>();
        if (!before.status().canBecome(after.status())) {
            errors.add(new FieldError("status", "cannot change from " + before.status().wireName() + " to " + after.status().wireName()));
        }
        if (before.status() != ExperimentStatus.DRAFT) {
            if (!before.variations().stream().map(Variation::key).toList()
                    .equals(after.variations().stream().map(Variation::key).toList())) {
                errors.add(new FieldError("variations", "cannot add, remove or rename variations after the experiment started; create a new experiment"));
            }
            if (!before.hashAttribute().equals(after.hashAttribute())) {
                errors.add(new FieldError("hash_attribute", "cannot change after the experiment started"));
            }
            if (!before.seed().equals(after.seed()) && before.bucketVersion().equals(after.bucketVersion())) {
                errors.add(new FieldError("seed", "changing the seed re-randomizes everyone: use the rerandomize action"));
            }
        }
        return errors;
    }

    private static void variations(Experiment e, List<FieldError> errors) {
        List<Variation> vs = e.variations();
        if (vs.size() < 2) {
            errors.add(new FieldError("variations", "needs at least 2 variations"));
            return;
        }
        if (vs.size() > MAX_VARIATIONS) {
            errors.add(new FieldError("variations", "at most " + MAX_VARIATIONS + " variations"));
        }
        Set<String> keys = new HashSet<>();
        int withWeight = 0;
        double sum = 0;
        for (int i = 0; i < vs.size(); i++) {
            Variation v = vs.get(i);
            String field = "variations[" + i + "]";
            if (v == null) {
                errors.add(new FieldError(field, "must be an object"));
                continue;
            }
            if (key(field + ".key", v.key(), errors) && !keys.add(v.key())) {
                errors.add(new FieldError(field + ".key", "duplicates another variation's key"));
            }
            if (v.weight() != null) {
                withWeight++;
                sum += v.weight();
                if (v.weight() < 0 || v.weight() > 1 || v.weight().isNaN()) {
                    errors.add(new FieldError(field + ".weight", "must be between 0 and 1"));
                }
            }
        }
        if (withWeight > 0 && withWeight < vs.size()) {
            for (int i = 0; i < vs.size(); i++) {
                if (vs.get(i) != null && vs.get(i).weight() == null) {
                    errors.add(new FieldError("variations[" + i + "].weight", "give every variation a weight, or none for an equal split"));
                    break;
                }
            }
        } else if (withWeight == vs.size() && (sum < 0.99 || sum > 1.01)) {
            errors.add(new FieldError("variations", "weights must sum to 1 (they sum to " + sum + ")"));
        }
    }

    private static void metrics(String field, List<Metric> metrics, List<FieldError> errors) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            String f = field + "[" + i + "]";
            if (m == null) {
                errors.add(new FieldError(f, "must be an object"));
                continue;
            }
            if (m.event() == null) {
                errors.add(new FieldError(f + ".event", "is required"));
            } else {
                NameRules.checkName(m.event()).ifPresent(msg -> errors.add(new FieldError(f + ".event", msg)));
            }
            if (m.key() != null && !keys.add(m.key())) {
                errors.add(new FieldError(f + ".key", "duplicates another metric's key"));
            }
            if (m.type().needsProperty()) {
                if (m.property() == null || m.property().isBlank()) {
                    errors.add(new FieldError(f + ".property", "is required for a " + m.type().wireName() + " metric"));
                } else {
                    NameRules.checkName(m.property()).ifPresent(msg -> errors.add(new FieldError(f + ".property", msg)));
                }
            }
            if (m.windowHours() < 1 || m.windowHours() > MAX_WINDOW_HOURS) {
                errors.add(new FieldError(f + ".window_hours", "must be between 1 and " + MAX_WINDOW_HOURS));
            }
        }
    }

    private static boolean key(String field, String value, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
            return false;
        }
        if (!KEY.matcher(value).matches()) {
            errors.add(new FieldError(field, "must match [A-Za-z0-9][A-Za-z0-9_.-]{0,99}"));
            return false;
        }
        return true;
    }

    private static void attribute(String field, String value, List<FieldError> errors) {
        if (!ATTRIBUTE.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be an attribute name like user_id or device_id"));
        }
    }
}
