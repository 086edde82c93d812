package io.beacon.engine.runtime;

import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyService.PublishedVersion;
import io.beacon.engine.journeys.JourneyVersions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A project's journeys as the entities run them: every published version and each journey's current definition
 * ({@link JourneyVersions}), the project's frequency caps, and the publications that carry a step mapping, by journey.
 *
 * @param publications journey id → its published versions that map steps, by version
 */
public record ProjectJourneys(JourneyVersions versions, FrequencyCaps caps, Map<String, List<PublishedVersion>> publications,
                              boolean isEmpty) {

    public ProjectJourneys {
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(caps, "caps");
        publications = Map.copyOf(publications);
    }

    /** A project without journeys. */
    public static ProjectJourneys none(String projectId) {
        return new ProjectJourneys(JourneyVersions.NONE, FrequencyCaps.none(projectId), Map.of(), true);
    }

    /**
     * The journeys of one project: its current definitions (any status) and its published versions; a current
     * definition wins over a published document of the same (id, version), so the status is the journey's now.
     */
    public static ProjectJourneys of(String projectId, Collection<JourneyDefinition> current,
                                     Collection<PublishedVersion> published, FrequencyCaps caps) {
        if (current.isEmpty() && published.isEmpty()) {
            return new ProjectJourneys(JourneyVersions.NONE, caps, Map.of(), true);
        }
        List<JourneyDefinition> all = new ArrayList<>(published.size() + current.size());
        Map<String, List<PublishedVersion>> mapped = new HashMap<>();
        for (PublishedVersion p : published) {
            all.add(p.definition());
            if (!p.mapping().isEmpty() && p.fromVersion() > 0) {
                mapped.computeIfAbsent(p.definition().id(), k -> new ArrayList<>()).add(p);
            }
        }
        all.addAll(current);
        mapped.values().forEach(l -> l.sort(Comparator.comparingInt(p -> p.definition().journeyVersion())));
        Map<String, List<PublishedVersion>> frozen = new HashMap<>();
        mapped.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new ProjectJourneys(JourneyVersions.of(all), caps, frozen, false);
    }
}
