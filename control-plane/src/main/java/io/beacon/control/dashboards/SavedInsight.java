package io.beacon.control.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.store.ConfigKey;
import java.util.Objects;

/**
 * A saved insight: a named query of one analysis, stored under {@code saved_insight/<project>/<id>} as the JSON
 * written by {@link DashboardJson#toDocument(SavedInsight)} (docs/dashboards.md).
 *
 * @param projectId   the project (from the config key)
 * @param id          {@link DashboardJson#checkId id grammar}; generated ({@code ins_…}) when a create names none
 * @param name        display name, 1–200 characters ({@link io.beacon.control.NameRules#checkName})
 * @param description free text or {@code null}
 * @param analysis    one of {@link DashboardJson#ANALYSES}
 * @param query       the body of {@code POST /api/v1/insights/{analysis}}, as the client sent it
 * @param version     the config-store version (&ge; 1 once stored, 0 before)
 * @param createdAtMs when the first version was written (epoch ms)
 * @param updatedAtMs when this version was written (epoch ms)
 */
public record SavedInsight(String projectId, String id, String name, String description, String analysis, ObjectNode query,
                           long version, long createdAtMs, long updatedAtMs) {
    public static final String KIND = "saved_insight";

    public SavedInsight {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(query, "query");
    }

    public static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    public ConfigKey key() {
        return key(projectId, id);
    }

    public SavedInsight stamped(long newVersion, long newCreatedAtMs, long newUpdatedAtMs) {
        return new SavedInsight(projectId, id, name, description, analysis, query, newVersion, newCreatedAtMs, newUpdatedAtMs);
    }
}
