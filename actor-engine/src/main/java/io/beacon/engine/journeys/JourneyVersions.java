package io.beacon.engine.journeys;

import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The journeys of one project as the interpreter sees them: every published version that may have runs, by
 * (id, version), and each journey's current definition (its highest version), whose status and pause behaviour
 * are the journey's. New entries take the current version of live journeys; runs stay on their own version.
 */
public final class JourneyVersions {
    /** Higher priority first, then by id: the order in which journeys send when they compete for a cap. */
    public static final Comparator<JourneyDefinition> PRIORITY_ORDER =
            Comparator.comparingInt(JourneyDefinition::priority).reversed().thenComparing(JourneyDefinition::id);
    public static final JourneyVersions NONE = of(List.of());

    private final Map<String, TreeMap<Integer, JourneyDefinition>> byId;
    private final List<JourneyDefinition> live;

    private JourneyVersions(Map<String, TreeMap<Integer, JourneyDefinition>> byId) {
        this.byId = byId;
        List<JourneyDefinition> l = new ArrayList<>();
        for (TreeMap<Integer, JourneyDefinition> versions : byId.values()) {
            JourneyDefinition current = versions.lastEntry().getValue();
            if (current.status() == JourneyStatus.LIVE) {
                l.add(current);
            }
        }
        l.sort(PRIORITY_ORDER);
        this.live = Collections.unmodifiableList(l);
    }

    /**
     * The journeys of {@code definitions} (one project's; versions of a journey may come in any order; a repeated
     * (id, version) keeps the last).
     */
    public static JourneyVersions of(Collection<JourneyDefinition> definitions) {
        Map<String, TreeMap<Integer, JourneyDefinition>> byId = new HashMap<>();
        for (JourneyDefinition d : definitions) {
            byId.computeIfAbsent(d.id(), k -> new TreeMap<>()).put(d.journeyVersion(), d);
        }
        return new JourneyVersions(byId);
    }

    /** The current definition of {@code journeyId} (its highest version). */
    public Optional<JourneyDefinition> current(String journeyId) {
        TreeMap<Integer, JourneyDefinition> versions = byId.get(journeyId);
        return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** Version {@code journeyVersion} of {@code journeyId}, if given. */
    public Optional<JourneyDefinition> version(String journeyId, int journeyVersion) {
        TreeMap<Integer, JourneyDefinition> versions = byId.get(journeyId);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(journeyVersion));
    }

    /** The live journeys' current definitions, in {@link #PRIORITY_ORDER}. */
    public List<JourneyDefinition> live() {
        return live;
    }
}
