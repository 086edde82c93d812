package io.beacon.control;

import io.beacon.control.api.ControlPlaneRoutes;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.registry.EventEnforcer;
import io.beacon.control.registry.RegistryCatalog;
import io.beacon.control.registry.RegistryService;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.KafkaConfigStore;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The control plane of one process, wired: the store and everything built on it. Startup code
 * calls {@link #start(ControlPlaneSettings)} (blocks until the view caught up) and hands the parts to
 * the roles: {@link #projects()} to the gateway (write keys), {@link #enforcer()} to the topology,
 * {@link #routes()} to the HTTP server.
 */
public final class ControlPlane implements AutoCloseable {
    private final ConfigStore store;
    private final ProjectDirectory projects;
    private final RegistryCatalog registries;
    private final RegistryService registry;
    private final EventEnforcer enforcer;
    private final ControlPlaneSettings settings;

    /** Builds on an already started store (or an {@code InMemoryConfigStore} in tests). */
    public ControlPlane(ConfigStore store, ControlPlaneSettings settings) {
        this.store = store;
        this.settings = settings;
        this.projects = new ProjectDirectory(store);
        this.registries = new RegistryCatalog(store);
        this.registry = new RegistryService(store);
        this.enforcer = new EventEnforcer(projects, registries);
    }

    /** Creates the Kafka store, starts it (blocking until ready) and wires the rest. */
    public static ControlPlane start(ControlPlaneSettings settings) {
        KafkaConfigStore store = new KafkaConfigStore(settings.storeSettings());
        try {
            store.start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new ControlPlane(store, settings);
    }

    public ConfigStore store() {
        return store;
    }

    public ProjectDirectory projects() {
        return projects;
    }

    public RegistryCatalog registries() {
        return registries;
    }

    public RegistryService registry() {
        return registry;
    }

    public EventEnforcer enforcer() {
        return enforcer;
    }

    /** The admin API routes ({@code /api/v1/projects}, {@code /api/v1/metadata}). */
    public Route routes() {
        return new ControlPlaneRoutes(projects, registry, registries, settings).routes();
    }

    @Override
    public void close() {
        registries.close();
        projects.close();
        store.close();
    }
}
