package io.beacon.control.registry;

import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import java.util.Map;
import java.util.Optional;

/**
 * The enforcement port for the stream topology: validate an event against its project's current
 * registry and mode, then apply the PII rules. Non-blocking (map reads plus pure functions).
 *
 * <p>An event of a project the directory does not know is validated as permissive against an empty
 * registry (flagged {@code UNKNOWN_EVENT}); the gateway rejects unknown write keys before that.
 */
public final class EventEnforcer {
    private final ProjectDirectory projects;
    private final RegistryCatalog registries;

    public EventEnforcer(ProjectDirectory projects, RegistryCatalog registries) {
        this.projects = projects;
        this.registries = registries;
    }

    /**
     * The validation result; unless rejected, its {@link ValidationResult#properties()} are already
     * PII-transformed and safe to write to {@code beacon.events.valid}.
     */
    public ValidationResult enforce(String projectId, String eventName, Map<String, Object> properties) {
        Optional<Project> project = projects.byId(projectId);
        RegistryView view = registries.view(projectId);
        EnforcementMode mode = project.map(Project::mode).orElse(EnforcementMode.PERMISSIVE);
        ValidationResult result = EventValidator.validate(mode, view, eventName, properties);
        if (result.rejected() || project.isEmpty()) {
            return result;
        }
        return result.withProperties(PiiTransformer.apply(project.get().piiSecret(), view, result.properties()));
    }

    /** PII rules applied to another map of the project's properties (e.g. identify traits). */
    public Map<String, Object> protect(String projectId, Map<String, Object> values) {
        return projects.byId(projectId)
                .map(p -> PiiTransformer.apply(p.piiSecret(), registries.view(projectId), values))
                .orElse(values);
    }
}
