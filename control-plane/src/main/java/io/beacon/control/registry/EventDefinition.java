package io.beacon.control.registry;

import io.beacon.control.store.ConfigKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A registered event. Stored under {@code event/<project>/<name>}; wire (snake_case):
 * {@code {"name","display_name","description","owner","tags":[..],"status":"draft|live|deprecated|blocked",
 * "required_properties":[..],"optional_properties":[..]}}.
 *
 * <p>Absent lists are empty and an absent status is {@code live}. A {@code null} element of a list is kept (not
 * thrown on while binding) so that {@link DefinitionRules} refuses it naming its field, e.g. {@code tags[1]}.
 *
 * @param requiredProperties properties every such event must carry (non-null)
 * @param optionalProperties properties it may carry; in strict mode nothing else
 */
public record EventDefinition(String name, String displayName, String description, String owner,
                              List<String> tags, EventStatus status,
                              List<String> requiredProperties, List<String> optionalProperties) {
    public static final String KIND = "event";

    public EventDefinition {
        tags = copy(tags);
        status = status == null ? EventStatus.LIVE : status;
        requiredProperties = copy(requiredProperties);
        optionalProperties = copy(optionalProperties);
    }

    /** An unmodifiable copy that keeps {@code null} elements (List.copyOf would throw before validation names them). */
    static List<String> copy(List<String> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** A live event with only a name, for tests and "register as draft" flows. */
    public static EventDefinition named(String name) {
        return new EventDefinition(name, null, null, null, List.of(), EventStatus.LIVE, List.of(), List.of());
    }

    public static ConfigKey key(String project, String name) {
        return ConfigKey.of(KIND, project, name);
    }

    public EventDefinition withStatus(EventStatus newStatus) {
        return new EventDefinition(name, displayName, description, owner, tags, newStatus, requiredProperties, optionalProperties);
    }

    public EventDefinition withProperties(List<String> required, List<String> optional) {
        return new EventDefinition(name, displayName, description, owner, tags, status, required, optional);
    }

    public EventDefinition withName(String newName) {
        return new EventDefinition(newName, displayName, description, owner, tags, status, requiredProperties, optionalProperties);
    }
}
