package io.beacon.control.journeys;

import io.beacon.control.store.ConfigKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A journey: a trigger that enters users and a graph of {@link Step steps} each user's run walks through in the
 * actor engine. Stored under {@code journey/<project>/<id>} as the JSON written by {@link JourneyJson#toDocument}
 * and checked by {@link JourneyValidator}.
 *
 * @param projectId      the project (from the config key)
 * @param id             {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}} (the segment id grammar)
 * @param name           display name, {@link io.beacon.control.NameRules#checkName name grammar}
 * @param description    free text or {@code null}
 * @param status         lifecycle status
 * @param journeyVersion the published version of the graph (&ge; 1); runs stay on the version they entered
 * @param priority       higher wins when two journeys compete for a frequency cap (default 0)
 * @param trigger        what enters a user
 * @param entry          the id of the first step
 * @param steps          the steps by id, in document order
 * @param exitCriteria   "exit when": checked on every event and state change, not at step ends
 * @param goal           what counts as converted, or {@code null}
 * @param reEntry        whether a user may enter again
 * @param quietHours     when send steps hold back, or {@code null}
 * @param pauseBehaviour what in-flight runs do while the journey is paused
 * @param version        the config-store version (&ge; 1 once stored, 0 before)
 * @param updatedAtMs    when this store version was written (epoch ms)
 */
public record JourneyDefinition(String projectId, String id, String name, String description, JourneyStatus status,
                                int journeyVersion, int priority, Trigger trigger, String entry, Map<String, Step> steps,
                                List<Criterion> exitCriteria, Goal goal, ReEntry reEntry, QuietHours quietHours,
                                PauseBehaviour pauseBehaviour, long version, long updatedAtMs) {
    public static final String KIND = "journey";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public JourneyDefinition {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(reEntry, "reEntry");
        Objects.requireNonNull(pauseBehaviour, "pauseBehaviour");
        steps.forEach((k, s) -> {
            if (!k.equals(s.id())) {
                throw new IllegalArgumentException("step key '" + k + "' differs from its step's id '" + s.id() + "'");
            }
        });
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        exitCriteria = List.copyOf(exitCriteria);
    }

    public static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    public ConfigKey key() {
        return key(projectId, id);
    }

    /** Why {@code id} is not a valid journey id, or empty when it is. */
    public static Optional<String> checkId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        return ID.matcher(id).matches() ? Optional.empty() : Optional.of("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }

    /** The step {@code stepId}, if the graph has it. */
    public Optional<Step> step(String stepId) {
        return Optional.ofNullable(steps.get(stepId));
    }

    public JourneyDefinition withVersion(long newVersion, long newUpdatedAtMs) {
        return new JourneyDefinition(projectId, id, name, description, status, journeyVersion, priority, trigger, entry, steps,
                exitCriteria, goal, reEntry, quietHours, pauseBehaviour, newVersion, newUpdatedAtMs);
    }

    /** This definition in {@code newStatus}; check {@link JourneyStatus#canMoveTo} first. */
    public JourneyDefinition withStatus(JourneyStatus newStatus) {
        return new JourneyDefinition(projectId, id, name, description, newStatus, journeyVersion, priority, trigger, entry, steps,
                exitCriteria, goal, reEntry, quietHours, pauseBehaviour, version, updatedAtMs);
    }

    /** This definition as published version {@code newJourneyVersion}. */
    public JourneyDefinition withJourneyVersion(int newJourneyVersion) {
        return new JourneyDefinition(projectId, id, name, description, status, newJourneyVersion, priority, trigger, entry, steps,
                exitCriteria, goal, reEntry, quietHours, pauseBehaviour, version, updatedAtMs);
    }
}
