package io.beacon.streams.validate;

import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.registry.EventEnforcer;
import io.beacon.control.registry.RegistryCatalog;
import io.beacon.control.registry.RegistryView;
import io.beacon.control.registry.ValidationResult;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.ConfigStore;
import java.util.Map;
import java.util.Objects;

/**
 * The registry as the topology sees it: the port through which the validate and discover stages read
 * the control plane. Every call answers from the process's in-memory view of {@code beacon.config}
 * (a {@code ConfigStore} kept current by its own consumer thread), so it never blocks a stream thread
 * and an edit applies to the next record processed after the view read it — no restart, no
 * {@code GlobalKTable} restore.
 *
 * <p>Production: {@link #of(ControlPlane)}. Tests: {@link #of(ConfigStore)} over an
 * {@code InMemoryConfigStore}.
 */
public interface RegistryRules {

    /** {@link EventEnforcer#enforce}: validation, coercion and (unless rejected) PII rules. */
    ValidationResult enforce(String projectId, String eventName, Map<String, Object> properties);

    /** {@link EventEnforcer#protect}: the PII rules alone, for traits and other maps of property values. */
    Map<String, Object> protect(String projectId, Map<String, Object> values);

    /** The project's definitions now (empty when it has none). */
    RegistryView registry(String projectId);

    /** The rules of a running control plane (shares its config view). */
    static RegistryRules of(ControlPlane controlPlane) {
        return of(controlPlane.enforcer(), controlPlane.registries());
    }

    static RegistryRules of(EventEnforcer enforcer, RegistryCatalog catalog) {
        Objects.requireNonNull(enforcer, "enforcer");
        Objects.requireNonNull(catalog, "catalog");
        return new RegistryRules() {
            @Override
            public ValidationResult enforce(String projectId, String eventName, Map<String, Object> properties) {
                return enforcer.enforce(projectId, eventName, properties);
            }

            @Override
            public Map<String, Object> protect(String projectId, Map<String, Object> values) {
                return enforcer.protect(projectId, values);
            }

            @Override
            public RegistryView registry(String projectId) {
                return catalog.view(projectId);
            }
        };
    }

    /**
     * Rules over {@code store} (its projects and registry). The listeners this registers live as long
     * as the store; meant for tests and single-purpose tools.
     */
    static RegistryRules of(ConfigStore store) {
        RegistryCatalog catalog = new RegistryCatalog(store);
        return of(new EventEnforcer(new ProjectDirectory(store), catalog), catalog);
    }
}
