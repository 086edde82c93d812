package io.beacon.control.registry;

import io.beacon.control.store.ConfigKey;
import java.util.List;

/**
 * A registered event. Stored under {@code event/<project>/<name>}; wire (snake_case):
 * {@code {"name","display_name","description","owner","tags":[..],"status":"draft|live|deprecated|blocked",
 * "required_properties":[..],"optional_properties":[..]}}.
 *
 * <p>Absent lists are empty and an absent status is {@code live}.
 *
 * @param requiredProperties properties every such event must carry (non-null)
 * @param optionalProperties properties it may carry; in strict mode nothing else
 */
public record EventDefinition(String name, String displayName, String description, String owner,
                              List<String> tags, EventStatus status,
                              List<String> requiredProperties, List<String> optionalProperties) {
    public static final String KIND = "event";

    public EventDefinition {
        tags = tags == null ? List.of() : List.copyOf(tags);
        status = status == null ? EventStatus.LIVE : status;
        requiredProperties = requiredProperties == null ? List.of() : List.copyOf(requiredProperties);
        optionalProperties = optionalProperties == null ? List.of() : List.copyOf(optionalProperties);
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
