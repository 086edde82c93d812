package io.beacon.control.registry;

import io.beacon.control.project.EnforcementMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one event against a project's registry. Pure, allocation-light, thread-safe.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>A {@code blocked} event is rejected ({@code BLOCKED_EVENT}) in every mode; nothing else is checked.</li>
 *   <li>An event without a definition: {@code strict} rejects it ({@code UNKNOWN_EVENT}, nothing else
 *       checked); {@code permissive} flags it and goes on.</li>
 *   <li>A {@code deprecated} event is flagged ({@code DEPRECATED_EVENT}). {@code draft} and
 *       {@code live} are enforced alike.</li>
 *   <li>A property is <em>unknown</em> when the event is registered and lists it in neither
 *       {@code required_properties} nor {@code optional_properties}, or — for an unregistered event in
 *       permissive mode — when the project has no definition for it. Unknown properties: strict
 *       rejects ({@code UNKNOWN_PROPERTY} as error), permissive flags (as warning) and keeps them
 *       unchanged.</li>
 *   <li>Every non-null value of a property that has a definition is coerced by {@link TypeCoercion}
 *       ({@code TYPE_MISMATCH} when it cannot be) and, when the definition has enum values, checked
 *       against them ({@code ENUM_VIOLATION}; for lists, every element). These reject in every
 *       mode: a definition is a contract; permissive only relaxes what is not yet defined.</li>
 *   <li>Every required property of a registered event must be present and non-null
 *       ({@code MISSING_REQUIRED}, every mode). A listed property without a definition is only
 *       checked for presence.</li>
 * </ol>
 * Verdict: any error → {@link Verdict#REJECT}; else any warning → {@link Verdict#ACCEPT_WITH_WARNINGS};
 * else {@link Verdict#ACCEPT}. All findings are reported, not just the first.
 */
public final class EventValidator {
    private static final String EVENT_FIELD = "event";

    private EventValidator() {
    }

    public static ValidationResult validate(EnforcementMode mode, RegistryView registry, String eventName,
                                            Map<String, Object> properties) {
        Map<String, Object> props = properties == null ? Map.of() : properties;
        List<Violation> violations = new ArrayList<>(2);
        EventDefinition event = registry.eventOrNull(eventName);
        boolean strict = mode == EnforcementMode.STRICT;

        if (event != null && event.status() == EventStatus.BLOCKED) {
            violations.add(error(ViolationCode.BLOCKED_EVENT, EVENT_FIELD, "event '" + eventName + "' is blocked"));
            return new ValidationResult(Verdict.REJECT, violations, props);
        }
        if (event == null) {
            if (strict) {
                violations.add(error(ViolationCode.UNKNOWN_EVENT, EVENT_FIELD,
                        "event '" + eventName + "' is not registered and the project is strict"));
                return new ValidationResult(Verdict.REJECT, violations, props);
            }
            violations.add(warning(ViolationCode.UNKNOWN_EVENT, EVENT_FIELD, "event '" + eventName + "' is not registered"));
        } else if (event.status() == EventStatus.DEPRECATED) {
            violations.add(warning(ViolationCode.DEPRECATED_EVENT, EVENT_FIELD, "event '" + eventName + "' is deprecated"));
        }

        Map<String, Object> coerced = new LinkedHashMap<>(Math.max(4, props.size() * 2));
        for (Map.Entry<String, Object> p : props.entrySet()) {
            String name = p.getKey();
            Object value = p.getValue();
            PropertyDefinition def = registry.propertyOrNull(name);
            boolean known = event != null ? registry.lists(event.name(), name) : def != null;
            String field = "properties." + name;
            if (!known) {
                String why = event != null
                        ? "property '" + name + "' is not listed for event '" + eventName + "'"
                        : "property '" + name + "' is not registered";
                violations.add(strict ? error(ViolationCode.UNKNOWN_PROPERTY, field, why)
                        : warning(ViolationCode.UNKNOWN_PROPERTY, field, why));
            }
            if (def == null || value == null || def.type() == null) {
                coerced.put(name, value);
                continue;
            }
            TypeCoercion.Result r = TypeCoercion.coerce(def.type(), value);
            if (!r.ok()) {
                violations.add(error(ViolationCode.TYPE_MISMATCH, field,
                        "property '" + name + "' must be " + def.type().wireName() + ": " + safeProblem(def, r.problem())));
                coerced.put(name, value);
                continue;
            }
            coerced.put(name, r.value());
            Set<String> allowed = registry.enumKeys(name);
            if (allowed != null && !inEnum(def.type(), r.value(), allowed)) {
                violations.add(error(ViolationCode.ENUM_VIOLATION, field,
                        "property '" + name + "' must be one of " + def.enumValues()));
            }
        }
        if (event != null) {
            for (String required : event.requiredProperties()) {
                if (props.get(required) == null) {
                    violations.add(error(ViolationCode.MISSING_REQUIRED, "properties." + required,
                            "event '" + eventName + "' requires property '" + required + "'"));
                }
            }
        }
        return new ValidationResult(verdict(violations), violations, coerced);
    }

    private static boolean inEnum(PropertyType type, Object value, Set<String> allowed) {
        if (type == PropertyType.LIST) {
            for (Object element : (List<?>) value) {
                if (element != null && !allowed.contains(TypeCoercion.canonicalText(element))) {
                    return false;
                }
            }
            return true;
        }
        return allowed.contains(TypeCoercion.canonicalText(value));
    }

    /** Messages of PII properties must not echo the value (it would reach the DLQ and logs). */
    private static String safeProblem(PropertyDefinition def, String problem) {
        return def.pii() == PiiClass.NONE ? problem : "the value does not fit the type";
    }

    private static Verdict verdict(List<Violation> violations) {
        if (violations.isEmpty()) {
            return Verdict.ACCEPT;
        }
        for (Violation v : violations) {
            if (v.isError()) {
                return Verdict.REJECT;
            }
        }
        return Verdict.ACCEPT_WITH_WARNINGS;
    }

    private static Violation error(ViolationCode code, String field, String message) {
        return new Violation(code, field, message, Violation.Severity.ERROR);
    }

    private static Violation warning(ViolationCode code, String field, String message) {
        return new Violation(code, field, message, Violation.Severity.WARNING);
    }
}
