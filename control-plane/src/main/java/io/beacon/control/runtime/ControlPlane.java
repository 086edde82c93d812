package io.beacon.control.runtime;

import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.api.ControlPlaneRoutes;
import io.beacon.control.destinations.DestinationAddresses;
import io.beacon.control.destinations.DestinationService;
import io.beacon.control.discovery.DiscoveryTopic;
import io.beacon.control.discovery.DiscoveryView;
import io.beacon.control.journeys.JourneyService;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.registry.EventEnforcer;
import io.beacon.control.registry.RegistryCatalog;
import io.beacon.control.registry.RegistryService;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConfigStoreSettings;
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
    private final SegmentService segments;
    private final DestinationService destinations;
    private final JourneyService journeys;
    private final EventEnforcer enforcer;
    private final ControlPlaneSettings settings;
    private final DiscoveryView discovery;

    /** Builds on an already started store (or an {@code InMemoryConfigStore} in tests), without discovery. */
    public ControlPlane(ConfigStore store, ControlPlaneSettings settings) {
        this(store, settings, DiscoveryView.detached());
    }

    /** Builds on an already started store and a (started or detached) discovery view, which it then owns. */
    public ControlPlane(ConfigStore store, ControlPlaneSettings settings, DiscoveryView discovery) {
        this.store = store;
        this.settings = settings;
        this.discovery = discovery;
        this.projects = new ProjectDirectory(store);
        this.registries = new RegistryCatalog(store);
        this.registry = new RegistryService(store);
        this.segments = new SegmentService(store);
        this.destinations = new DestinationService(store, segments, new DestinationAddresses(
                settings.allowPrivateDestinationAddresses(), DestinationAddresses.SYSTEM_RESOLVER));
        this.journeys = new JourneyService(store, segments, destinations);
        this.enforcer = new EventEnforcer(projects, registries);
    }

    /**
     * Creates the Kafka store, starts it (blocking until ready) and wires the rest; also starts the
     * view of {@code <prefix>beacon.discovery} (without waiting for it: discovery is informational).
     */
    public static ControlPlane start(ControlPlaneSettings settings) {
        KafkaConfigStore store = new KafkaConfigStore(ConfigStoreSettings.from(settings));
        DiscoveryView discovery = new DiscoveryView(settings.bootstrapServers(),
                DiscoveryTopic.withPrefix(settings.topicPrefix()), settings.replicationFactor(), settings.kafkaProperties());
        try {
            store.start();
            discovery.start();
        } catch (RuntimeException e) {
            discovery.close();
            store.close();
            throw e;
        }
        return new ControlPlane(store, settings, discovery);
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

    /** Segment definitions ({@code segment/<project>/<id>}); the engine keeps its own {@code SegmentCatalog} on {@link #store()}. */
    public SegmentService segments() {
        return segments;
    }

    /**
     * Destination definitions ({@code destination/<project>/<id>}); the connectors keep their own
     * {@code DestinationCatalog} on {@link #store()} and disable/re-enable through {@code setEnabled}.
     */
    public DestinationService destinations() {
        return destinations;
    }

    /** Journeys ({@code journey/<project>/<id>}, published versions, caps); the engine keeps its own {@code JourneyCatalog}. */
    public JourneyService journeys() {
        return journeys;
    }

    public EventEnforcer enforcer() {
        return enforcer;
    }

    /** The unregistered events/properties the topology discovered ({@code <prefix>beacon.discovery}). */
    public DiscoveryView discovery() {
        return discovery;
    }

    /**
     * The admin API routes ({@code /api/v1/projects}, {@code /api/v1/metadata}, {@code /api/v1/dlq},
     * {@code /api/v1/segments}, {@code /api/v1/destinations}, {@code /api/v1/journeys}).
     */
    public Route routes() {
        return new ControlPlaneRoutes(projects, registry, registries, segments, destinations, journeys, settings, discovery).routes();
    }

    @Override
    public void close() {
        discovery.close();
        registries.close();
        projects.close();
        store.close();
    }
}
