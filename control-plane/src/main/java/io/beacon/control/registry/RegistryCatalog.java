package io.beacon.control.registry;

import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link RegistryView} of every project, kept up to date by config-store listeners: an
 * edit through the API is visible here as soon as this process's store read it. {@link #view} is a
 * non-blocking map read, safe in stream processors.
 */
public final class RegistryCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCatalog.class);

    private final Map<String, Map<String, EventDefinition>> events = new ConcurrentHashMap<>();
    private final Map<String, Map<String, PropertyDefinition>> properties = new ConcurrentHashMap<>();
    private final Map<String, RegistryView> views = new ConcurrentHashMap<>();
    private final AutoCloseable eventListener;
    private final AutoCloseable propertyListener;

    public RegistryCatalog(ConfigStore store) {
        this.eventListener = store.addListener(EventDefinition.KIND, c -> onChange(c, EventDefinition.class, events), true);
        this.propertyListener = store.addListener(PropertyDefinition.KIND, c -> onChange(c, PropertyDefinition.class, properties), true);
    }

    /** The project's definitions now; {@link RegistryView#empty()} for a project without any. */
    public RegistryView view(String project) {
        return views.computeIfAbsent(project, p -> RegistryView.of(
                events.getOrDefault(p, Map.of()).values(),
                properties.getOrDefault(p, Map.of()).values()));
    }

    private <T> void onChange(Change change, Class<T> type, Map<String, Map<String, T>> byProject) {
        String project = change.key().project();
        String name = change.key().id();
        Optional<T> now = change.current().flatMap(e -> decode(e, type));
        Map<String, T> defs = byProject.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
        if (now.isPresent()) {
            defs.put(name, now.get());
        } else {
            defs.remove(name);
        }
        views.remove(project);
    }

    private static <T> Optional<T> decode(ConfigEntry entry, Class<T> type) {
        try {
            return Optional.of(entry.as(type));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring unreadable {} document {}", type.getSimpleName(), entry.key());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {eventListener, propertyListener}) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("listener removal failed", e);
            }
        }
    }
}
