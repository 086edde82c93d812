package io.beacon.control.segments;

import io.beacon.control.store.Change;
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
 * The current segment definitions of every project, kept up to date by a config-store listener
 * (like {@code RegistryCatalog}). {@link #segments} is a non-blocking read, safe on actor threads.
 * Other parts (the engine's re-evaluation of a project after a definition changed) subscribe with
 * {@link #onChange}.
 */
public final class SegmentCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCatalog.class);

    private final Map<String, Map<String, SegmentDefinition>> byProject = new ConcurrentHashMap<>();
    private final Map<String, List<SegmentDefinition>> lists = new ConcurrentHashMap<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final AutoCloseable listener;

    public SegmentCatalog(ConfigStore store) {
        this.listener = store.addListener(SegmentDefinition.KIND, this::onStoreChange, true);
    }

    /** The project's definitions now, ordered by id (empty when it has none). */
    public List<SegmentDefinition> segments(String project) {
        return lists.computeIfAbsent(project, p -> {
            List<SegmentDefinition> l = new ArrayList<>(byProject.getOrDefault(p, Map.of()).values());
            l.sort(Comparator.comparing(SegmentDefinition::id));
            return List.copyOf(l);
        });
    }

    public Optional<SegmentDefinition> segment(String project, String id) {
        return Optional.ofNullable(byProject.getOrDefault(project, Map.of()).get(id));
    }

    /** Calls {@code projectChanged} with the project id after any of its segments was created, changed or deleted. */
    public AutoCloseable onChange(Consumer<String> projectChanged) {
        subscribers.add(projectChanged);
        return () -> subscribers.remove(projectChanged);
    }

    private void onStoreChange(Change change) {
        String project = change.key().project();
        Map<String, SegmentDefinition> defs = byProject.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
        Optional<SegmentDefinition> now = change.current().flatMap(SegmentService::decode);
        if (now.isPresent()) {
            defs.put(change.key().id(), now.get());
        } else {
            defs.remove(change.key().id());
        }
        lists.remove(project);
        for (Consumer<String> s : subscribers) {
            try {
                s.accept(project);
            } catch (RuntimeException e) {
                LOG.warn("segment change subscriber failed", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (Exception e) {
            LOG.debug("listener removal failed", e);
        }
    }
}
