package io.beacon.streams.runtime;

import io.beacon.control.Versioned;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.registry.EventDefinition;
import io.beacon.control.registry.EventStatus;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.RegistryService;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.streams.validate.RegistryRules;
import java.util.List;
import java.util.Optional;

/** A project and its tracking plan in a config store, written through the control plane's own services. */
final class RegistryFixture {
    final ConfigStore store;
    final ProjectDirectory projects;
    final RegistryService registry;
    final RegistryRules rules;

    RegistryFixture(ConfigStore store) {
        this.store = store;
        this.projects = new ProjectDirectory(store);
        this.registry = new RegistryService(store);
        this.rules = RegistryRules.of(store);
    }

    RegistryFixture() {
        this(new InMemoryConfigStore());
    }

    Project project(String id, EnforcementMode mode) {
        Project p = new Project(id, "Project " + id, "UTC", mode, ProjectKeys.newWriteKey(), ProjectKeys.newSecretKey(),
                ProjectKeys.newPiiSecret());
        return projects.create(p).toCompletableFuture().join().value();
    }

    /** Creates or replaces the event definition. */
    RegistryFixture event(String project, EventDefinition def) {
        long version = registry.event(project, def.name()).map(Versioned::version).orElse(0L);
        registry.putEvent(project, def, version).toCompletableFuture().join();
        return this;
    }

    RegistryFixture event(String project, String name, EventStatus status, List<String> required, List<String> optional) {
        return event(project, new EventDefinition(name, null, null, null, List.of(), status, required, optional));
    }

    /** Creates or replaces the property definition. */
    RegistryFixture property(String project, PropertyDefinition def) {
        long version = registry.property(project, def.name()).map(Versioned::version).orElse(0L);
        registry.putProperty(project, def, version).toCompletableFuture().join();
        return this;
    }

    Optional<Project> byId(String id) {
        return projects.byId(id);
    }
}
