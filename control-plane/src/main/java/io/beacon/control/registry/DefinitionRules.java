package io.beacon.control.registry;

import io.beacon.control.FieldError;
import io.beacon.control.NameRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validation of registry documents, as pure functions returning every problem by field name. A
 * document with errors never reaches the config store.
 *
 * <ul>
 *   <li>names (event, property, tags, owner, display name, listed properties, enum values) follow
 *       {@link NameRules#checkName};</li>
 *   <li>a property has a {@code type}; its {@code enum_values} are distinct valid values of the type
 *       (none for {@code datetime}), at most {@value #MAX_ENUM_VALUES};</li>
 *   <li>an event lists a property at most once across {@code required_properties} and
 *       {@code optional_properties}; tags are distinct;</li>
 *   <li>descriptions are at most {@value #MAX_DESCRIPTION} characters.</li>
 * </ul>
 */
public final class DefinitionRules {
    public static final int MAX_ENUM_VALUES = 1000;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final int MAX_LISTED_PROPERTIES = 1000;

    private DefinitionRules() {
    }

    public static List<FieldError> validate(PropertyDefinition p) {
        List<FieldError> errors = new ArrayList<>();
        NameRules.checkName(p.name()).ifPresent(m -> errors.add(new FieldError("name", m)));
        if (p.type() == null) {
            errors.add(new FieldError("type", "must be one of string|number|boolean|datetime|list"));
        }
        checkDescription(p.description(), errors);
        List<String> values = p.enumValues();
        if (!values.isEmpty() && p.type() == PropertyType.DATETIME) {
            errors.add(new FieldError("enum_values", "are not supported for datetime properties"));
        } else if (values.size() > MAX_ENUM_VALUES) {
            errors.add(new FieldError("enum_values", "at most " + MAX_ENUM_VALUES + " values"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < values.size(); i++) {
                String field = "enum_values[" + i + "]";
                String v = values.get(i);
                if (v == null) {
                    errors.add(new FieldError(field, "must not be null"));
                    continue;
                }
                if (p.type() != PropertyType.STRING && p.type() != PropertyType.LIST) {
                    Optional<String> key = p.type() == null ? Optional.of(v) : enumKey(p.type(), v);
                    if (key.isEmpty()) {
                        errors.add(new FieldError(field, "'" + v + "' is not a valid " + p.type().wireName()));
                        continue;
                    }
                    if (!seen.add(key.get())) {
                        errors.add(new FieldError(field, "duplicates '" + v + "'"));
                    }
                    continue;
                }
                Optional<String> bad = NameRules.checkName(v);
                if (bad.isPresent()) {
                    errors.add(new FieldError(field, bad.get()));
                } else if (!seen.add(v)) {
                    errors.add(new FieldError(field, "duplicates '" + v + "'"));
                }
            }
        }
        return errors;
    }

    public static List<FieldError> validate(EventDefinition e) {
        List<FieldError> errors = new ArrayList<>();
        NameRules.checkName(e.name()).ifPresent(m -> errors.add(new FieldError("name", m)));
        optionalName("display_name", e.displayName(), errors);
        optionalName("owner", e.owner(), errors);
        checkDescription(e.description(), errors);
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < e.tags().size(); i++) {
            String t = e.tags().get(i);
            String field = "tags[" + i + "]";
            Optional<String> bad = t == null ? Optional.of("must not be null") : NameRules.checkName(t);
            if (bad.isPresent()) {
                errors.add(new FieldError(field, bad.get()));
            } else if (!tags.add(t)) {
                errors.add(new FieldError(field, "duplicates tag '" + t + "'"));
            }
        }
        if (e.requiredProperties().size() + e.optionalProperties().size() > MAX_LISTED_PROPERTIES) {
            errors.add(new FieldError("optional_properties", "at most " + MAX_LISTED_PROPERTIES + " properties in all"));
            return errors;
        }
        Map<String, String> listedAt = new HashMap<>();
        checkListed("required_properties", e.requiredProperties(), listedAt, errors);
        checkListed("optional_properties", e.optionalProperties(), listedAt, errors);
        return errors;
    }

    private static void checkListed(String list, List<String> names, Map<String, String> listedAt, List<FieldError> errors) {
        for (int i = 0; i < names.size(); i++) {
            String field = list + "[" + i + "]";
            String name = names.get(i);
            Optional<String> bad = name == null ? Optional.of("must not be null") : NameRules.checkName(name);
            if (bad.isPresent()) {
                errors.add(new FieldError(field, bad.get()));
                continue;
            }
            String first = listedAt.putIfAbsent(name, field);
            if (first != null) {
                errors.add(new FieldError(field, "duplicate property '" + name + "', already listed at " + first));
            }
        }
    }

    /**
     * The canonical text an enum value is compared by, or empty when {@code value} is not a valid
     * value of {@code type}. For {@code string} and {@code list} (elements) the value itself.
     */
    static Optional<String> enumKey(PropertyType type, String value) {
        return switch (type) {
            case STRING, LIST -> Optional.of(value);
            case DATETIME -> Optional.empty();
            case NUMBER, BOOLEAN -> {
                TypeCoercion.Result r = TypeCoercion.coerce(type, value);
                yield r.ok() ? Optional.of(TypeCoercion.canonicalText(r.value())) : Optional.empty();
            }
        };
    }

    private static void optionalName(String field, String value, List<FieldError> errors) {
        if (value != null) {
            NameRules.checkName(value).ifPresent(m -> errors.add(new FieldError(field, m)));
        }
    }

    private static void checkDescription(String description, List<FieldError> errors) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
    }
}
