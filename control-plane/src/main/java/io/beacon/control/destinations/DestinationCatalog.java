package io.beacon.control.destinations;

import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destinations of every project as the connectors need them, kept up to date by a config-store
 * listener (like {@code SegmentCatalog}): the enabled ones, and their subscriptions indexed by
 * (project, segment id) and by (project, event name), so routing a trigger is one map lookup. Reads never
 * block (an immutable snapshot, rebuilt on each change: definitions change rarely). Other parts (workers
 * resizing their rate limiters) subscribe with {@link #onChange}.
 */
public final class DestinationCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationCatalog.class);

    /**
     * One destination a trigger feeds, with the subscription that matched.
     *
     * @param destination  the (enabled) destination
     * @param subscription its subscription for the trigger
     */
    public record Match(DestinationDefinition destination, Subscription subscription) {
    }

    /** {@code all} is keyed by {@link #index} of project and id, so a lookup per delivery builds no {@link ConfigKey}. */
    private record Snapshot(Map<String, DestinationDefinition> all, List<DestinationDefinition> enabled,
                            Map<String, List<Match>> entered, Map<String, List<Match>> exited,
                            Map<String, List<Match>> events) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), List.of(), Map.of(), Map.of(), Map.of());
    }

    private final Map<ConfigKey, DestinationDefinition> current = new HashMap<>();
    private final List<Consumer<ConfigKey>> subscribers = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private final AutoCloseable listener;

    public DestinationCatalog(ConfigStore store) {
        this.listener = store.addListener(DestinationDefinition.KIND, this::onStoreChange, true);
    }

    /** Every enabled destination of every project, ordered by project then id. */
    public List<DestinationDefinition> enabled() {
        return snapshot.enabled();
    }

    /** The destination now, enabled or not. */
    public Optional<DestinationDefinition> destination(String project, String id) {
        return Optional.ofNullable(snapshot.all().get(index(project, id)));
    }

    /** The enabled destinations fed when a person enters ({@code entered}) or exits a segment of the project. */
    public List<Match> forSegment(String project, String segmentId, boolean entered) {
        return (entered ? snapshot.entered() : snapshot.exited()).getOrDefault(index(project, segmentId), List.of());
    }

    /**
     * The enabled destinations subscribed to events of that name; apply
     * {@link Subscription.EventMatching#matches} to the event's properties to decide.
     */
    public List<Match> forEvent(String project, String eventName) {
        return snapshot.events().getOrDefault(index(project, eventName), List.of());
    }

    /** Calls {@code changed} with the key of every destination created, changed or deleted from now on. */
    public AutoCloseable onChange(Consumer<ConfigKey> changed) {
        subscribers.add(changed);
        return () -> subscribers.remove(changed);
    }

    private void onStoreChange(Change change) {
        Optional<DestinationDefinition> now = change.current().flatMap(DestinationService::decode);
        synchronized (current) {
            if (now.isPresent()) {
                current.put(change.key(), now.get());
            } else {
                current.remove(change.key());
            }
            snapshot = build(current);
        }
        for (Consumer<ConfigKey> s : subscribers) {
            try {
                s.accept(change.key());
            } catch (RuntimeException e) {
                LOG.warn("destination change subscriber failed", e);
            }
        }
    }

    private static Snapshot build(Map<ConfigKey, DestinationDefinition> defs) {
        List<DestinationDefinition> enabled = new ArrayList<>();
        Map<String, DestinationDefinition> all = new HashMap<>();
        for (DestinationDefinition d : defs.values()) {
            all.put(index(d.projectId(), d.id()), d);
            if (d.enabled()) {
                enabled.add(d);
            }
        }
        enabled.sort(Comparator.comparing(DestinationDefinition::projectId).thenComparing(DestinationDefinition::id));
        Map<String, List<Match>> entered = new HashMap<>();
        Map<String, List<Match>> exited = new HashMap<>();
        Map<String, List<Match>> events = new HashMap<>();
        for (DestinationDefinition d : enabled) {
            for (Subscription s : d.subscriptions()) {
                if (s instanceof Subscription.SegmentEntered e) {
                    entered.computeIfAbsent(index(d.projectId(), e.segment()), k -> new ArrayList<>()).add(new Match(d, s));
                } else if (s instanceof Subscription.SegmentExited x) {
                    exited.computeIfAbsent(index(d.projectId(), x.segment()), k -> new ArrayList<>()).add(new Match(d, s));
                } else if (s instanceof Subscription.EventMatching m) {
                    events.computeIfAbsent(index(d.projectId(), m.event()), k -> new ArrayList<>()).add(new Match(d, s));
                }
            }
        }
        return new Snapshot(Map.copyOf(all), List.copyOf(enabled), freeze(entered), freeze(exited), freeze(events));
    }

    private static Map<String, List<Match>> freeze(Map<String, List<Match>> m) {
        Map<String, List<Match>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }

    /** Project and name joined by a NUL, which neither a project id nor a name can contain. */
    private static String index(String project, String name) {
        return project + '\u0000' + name;
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
