package io.beacon.control.journeys;

import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current journey documents of every project, their published versions ({@code journey_version}, with their
 * step mappings) and the project's frequency caps, kept up to date by config-store listeners (like
 * {@code SegmentCatalog}). Reads never block, so they are safe on actor threads. Stored documents are read with
 * {@link JourneyContext#unchecked()}: their references were checked when written, and a destination deleted since
 * must not make the journey disappear.
 */
public final class JourneyCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JourneyCatalog.class);
    private static final Comparator<JourneyDefinition> PRIORITY_FIRST =
            Comparator.comparingInt(JourneyDefinition::priority).reversed().thenComparing(JourneyDefinition::id);

    private final Map<String, Map<String, JourneyDefinition>> byProject = new ConcurrentHashMap<>();
    private final Map<String, List<JourneyDefinition>> liveLists = new ConcurrentHashMap<>();
    /** project → "id/n" → the published version. */
    private final Map<String, Map<String, JourneyService.PublishedVersion>> versionsByProject = new ConcurrentHashMap<>();
    private final Map<String, FrequencyCaps> caps = new ConcurrentHashMap<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> listeners;

    public JourneyCatalog(ConfigStore store) {
        this.listeners = List.of(store.addListener(JourneyDefinition.KIND, this::onStoreChange, true),
                store.addListener(JourneyService.VERSION_KIND, this::onVersionChange, true),
                store.addListener(FrequencyCaps.KIND, this::onCapsChange, true));
    }

    /** Every journey of the project now, in any status (empty when it has none). */
    public List<JourneyDefinition> journeys(String project) {
        return List.copyOf(byProject.getOrDefault(project, Map.of()).values());
    }

    /** Every published version of the project's journeys, in no particular order (empty when none). */
    public List<JourneyService.PublishedVersion> versions(String project) {
        return List.copyOf(versionsByProject.getOrDefault(project, Map.of()).values());
    }

    /** The project's frequency caps ({@link FrequencyCaps#none} when it has set none). */
    public FrequencyCaps caps(String project) {
        FrequencyCaps c = caps.get(project);
        return c != null ? c : FrequencyCaps.none(project);
    }

    /** The project's live journeys, highest priority first, then by id (empty when it has none). */
    public List<JourneyDefinition> live(String project) {
        return liveLists.computeIfAbsent(project, p -> {
            List<JourneyDefinition> l = new ArrayList<>();
            for (JourneyDefinition d : byProject.getOrDefault(p, Map.of()).values()) {
                if (d.status() == JourneyStatus.LIVE) {
                    l.add(d);
                }
            }
            l.sort(PRIORITY_FIRST);
            return List.copyOf(l);
        });
    }

    /** The journey now, in any status. */
    public Optional<JourneyDefinition> journey(String project, String id) {
        return Optional.ofNullable(byProject.getOrDefault(project, Map.of()).get(id));
    }

    /** Calls {@code projectChanged} with the project id after any of its journeys was created, changed or deleted. */
    public AutoCloseable onChange(Consumer<String> projectChanged) {
        subscribers.add(projectChanged);
        return () -> subscribers.remove(projectChanged);
    }

    /** The journey stored in {@code entry}, or empty (logged) when the document does not read as one. */
    public static Optional<JourneyDefinition> decode(ConfigEntry entry) {
        try {
            return Optional.of(JourneyJson.fromEntry(entry, JourneyContext.unchecked()));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable journey document {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }

    private void onStoreChange(Change change) {
        String project = change.key().project();
        Map<String, JourneyDefinition> defs = byProject.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
        Optional<JourneyDefinition> now = change.current().flatMap(JourneyCatalog::decode);
        if (now.isPresent()) {
            defs.put(change.key().id(), now.get());
        } else {
            defs.remove(change.key().id());
        }
        liveLists.remove(project);
        notifySubscribers(project);
    }

    private void onVersionChange(Change change) {
        String project = change.key().project();
        Map<String, JourneyService.PublishedVersion> versions = versionsByProject.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
        Optional<JourneyService.PublishedVersion> now = change.current().flatMap(JourneyService::decodeVersion);
        if (now.isPresent()) {
            versions.put(change.key().id(), now.get());
        } else {
            versions.remove(change.key().id());
        }
        notifySubscribers(project);
    }

    private void onCapsChange(Change change) {
        String project = change.key().project();
        if (!FrequencyCaps.ID.equals(change.key().id())) {
            return;
        }
        Optional<FrequencyCaps> now = Optional.empty();
        if (change.current().isPresent()) {
            try {
                now = Optional.of(FrequencyCaps.parse(project, change.current().get().document()));
            } catch (InvalidDocumentException e) {
                LOG.warn("ignoring unreadable frequency caps {}: {}", change.key(), e.getMessage());
            }
        }
        if (now.isPresent()) {
            caps.put(project, now.get());
        } else {
            caps.remove(project);
        }
        notifySubscribers(project);
    }

    private void notifySubscribers(String project) {
        for (Consumer<String> s : subscribers) {
            try {
                s.accept(project);
            } catch (RuntimeException e) {
                LOG.warn("journey change subscriber failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable l : listeners) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("listener removal failed", e);
            }
        }
    }
}
