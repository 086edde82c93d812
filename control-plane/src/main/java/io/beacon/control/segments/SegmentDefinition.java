package io.beacon.control.segments;

import io.beacon.control.audience.Rule;
import io.beacon.control.store.ConfigKey;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A realtime segment: a named {@link Rule} over per-user state, evaluated by the actor engine on
 * every event and on time. Stored under {@code segment/<project>/<id>} as the JSON written by
 * {@link SegmentJson#toDocument} (docs/segments.md).
 *
 * @param projectId   the project (from the config key)
 * @param id          {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}; generated when a create names none
 * @param name        display name, {@link io.beacon.control.NameRules#checkName name grammar}
 * @param description free text or {@code null}
 * @param rule        the rule tree
 * @param version     the config-store version (&ge; 1 once stored, 0 before)
 * @param updatedAtMs when this version was written (epoch ms)
 */
public record SegmentDefinition(String projectId, String id, String name, String description, Rule rule,
                                long version, long updatedAtMs) {
    public static final String KIND = "segment";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public SegmentDefinition {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
    }

    public static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    public ConfigKey key() {
        return key(projectId, id);
    }

    /** Why {@code id} is not a valid segment id, or empty when it is. */
    public static Optional<String> checkId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        return ID.matcher(id).matches() ? Optional.empty() : Optional.of("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }

    public SegmentDefinition withVersion(long newVersion, long newUpdatedAtMs) {
        return new SegmentDefinition(projectId, id, name, description, rule, newVersion, newUpdatedAtMs);
    }
}
