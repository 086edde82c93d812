package io.beacon.control.registry;

import io.beacon.control.store.ConfigKey;
import java.util.List;

/**
 * A registered property, shared by all events of a project. Stored under
 * {@code property/<project>/<name>}; wire (snake_case): {@code {"name","type":"string|number|boolean|datetime|list",
 * "description","enum_values":[..],"pii":"none|mask|hash|drop","promoted":false}}.
 *
 * <p>{@code enum_values}, when non-empty, lists the only allowed values, written as JSON strings or
 * numbers that must themselves be valid values of {@code type} ({@code "1"}/{@code 1} for number,
 * {@code "true"}/{@code "false"} for boolean; for {@code list} they constrain the elements; not
 * allowed for {@code datetime}). Absent {@code pii} is {@code none}. A {@code null} enum value is kept so that
 * {@link DefinitionRules} refuses it as {@code enum_values[i]}.
 *
 * @param promoted whether the warehouse keeps the property in its own typed column
 */
public record PropertyDefinition(String name, PropertyType type, String description, List<String> enumValues,
                                 PiiClass pii, boolean promoted) {
    public static final String KIND = "property";

    public PropertyDefinition {
        enumValues = EventDefinition.copy(enumValues);
        pii = pii == null ? PiiClass.NONE : pii;
    }

    /** A property with only a name and type. */
    public static PropertyDefinition of(String name, PropertyType type) {
        return new PropertyDefinition(name, type, null, List.of(), PiiClass.NONE, false);
    }

    public static ConfigKey key(String project, String name) {
        return ConfigKey.of(KIND, project, name);
    }

    public PropertyDefinition withEnumValues(List<String> values) {
        return new PropertyDefinition(name, type, description, values, pii, promoted);
    }

    public PropertyDefinition withPii(PiiClass newPii) {
        return new PropertyDefinition(name, type, description, enumValues, newPii, promoted);
    }

    public PropertyDefinition withPromoted(boolean newPromoted) {
        return new PropertyDefinition(name, type, description, enumValues, pii, newPromoted);
    }

    public PropertyDefinition withName(String newName) {
        return new PropertyDefinition(newName, type, description, enumValues, pii, promoted);
    }
}
