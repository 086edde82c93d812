package io.beacon.analytics.journeys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.Warehouse;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService;
import io.beacon.control.journeys.StepMapping;
import io.beacon.control.store.ConfigStore;
import io.beacon.event.RefusedException;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What happened in a journey, read from ClickHouse {@code journey_events} (issue 19, item 4): entered, in flight
 * per step (waiting ones included), converted, completed, exited by reason, and per step the runs that reached it,
 * messages sent, cap hits and quiet-hour suppressions; and a person's runs. Reads block (run them off the HTTP
 * threads).
 */
public final class JourneyReport {
    private static final Map<String, String> SETTINGS = Map.of();

    private final Warehouse warehouse;
    private final ConfigStore store;

    /** @param store where the journeys and their published versions are (for {@link #preview}) */
    public JourneyReport(Warehouse warehouse, ConfigStore store) {
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * What a step mapping would do now (issue 19, item 3): the runs of published version {@code fromVersion} in flight
     * per step, and where {@code mapping} would move them.
     *
     * @param fromVersion the runs' version
     * @param mapping     old step → new step
     * @param to          the new graph as the publisher has it (an API body), or {@code null} for the journey's current
     *                    definition
     * @throws InvalidDocumentException when the version does not exist ({@code from_version}), {@code to} is not a valid
     *                                  journey ({@code to.…}) or the mapping names a step either side lacks ({@code mapping.<old>})
     * @throws RefusedException         (not found) when the project has no such journey
     */
    public MappingPreview preview(String project, String journey, int fromVersion, Map<String, String> mapping, ObjectNode to) {
        JourneyDefinition current = store.get(JourneyDefinition.key(project, journey)).flatMap(JourneyService::decode)
                .orElseThrow(() -> new RefusedException(RefusedException.Kind.NOT_FOUND, "JOURNEY_NOT_FOUND",
                        "no journey '" + journey + "' in project '" + project + "'", null));
        JourneyDefinition from = store.get(JourneyService.versionKey(project, journey, fromVersion))
                .flatMap(JourneyService::decodeVersion).map(JourneyService.PublishedVersion::definition)
                .orElseThrow(() -> InvalidDocumentException.of("from_version", "journey '" + journey + "' has no published version " + fromVersion));
        JourneyDefinition target = current;
        if (to != null) {
            try {
                target = JourneyJson.parse(project, journey, to, JourneyContext.unchecked());
            } catch (InvalidDocumentException e) {
                List<FieldError> prefixed = new ArrayList<>();
                for (FieldError f : e.errors()) {
                    prefixed.add(new FieldError("to." + f.field(), f.message()));
                }
                throw new InvalidDocumentException(prefixed);
            }
        }
        List<FieldError> errors = StepMapping.validate(from, target, mapping);
        if (!errors.isEmpty()) {
            throw new InvalidDocumentException(errors);
        }
        Map<String, Long> atStep = stats(project, journey, OptionalInt.of(fromVersion)).inFlight();
        return new MappingPreview(fromVersion, atStep, StepMapping.preview(atStep, mapping));
    }

    /** {@link #preview}'s answer: the runs in flight per old step and where they would go. */
    public record MappingPreview(int fromVersion, Map<String, Long> runsAtStep, StepMapping.Preview preview) {
        public MappingPreview {
            runsAtStep = Map.copyOf(runsAtStep);
        }
    }

    /**
     * The figures of one journey.
     *
     * @param entered      runs started
     * @param inFlight     runs not over, by current step
     * @param converted    runs whose goal event arrived within the window
     * @param completed    runs that reached the end of a path
     * @param exitedBy     runs that ended early, by reason
     * @param errors       runs that ended in an error
     * @param moved        runs a step mapping moved to a newer version
     * @param steps        per step id
     */
    public record Stats(long entered, Map<String, Long> inFlight, long converted, long completed, Map<String, Long> exitedBy,
                        long errors, long moved, Map<String, StepStats> steps) {
        public Stats {
            inFlight = Map.copyOf(inFlight);
            exitedBy = Map.copyOf(exitedBy);
            steps = Map.copyOf(steps);
        }

        /** Runs in flight, all steps. */
        public long active() {
            return inFlight.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One step's figures: runs that reached it, and its sends, cap hits and suppressions. */
    public record StepStats(long reached, long sent, long capped, long suppressed) {
    }

    /** One person's run: where it stands. {@code status} is {@code active}, or the kind of the event that ended it. */
    public record Run(String journeyId, int journeyVersion, long entry, long enteredAtMs, long lastAtMs, String step,
                      String status, String reason, boolean converted) {
    }

    /** The figures of {@code journey} in {@code project}, of one version or (empty) all. */
    public Stats stats(String project, String journey, OptionalInt version) {
        long entered = 0;
        long converted = 0;
        long completed = 0;
        long errors = 0;
        long moved = 0;
        Map<String, Long> exited = new TreeMap<>();
        for (Map<String, String> r : query(JourneySql.kinds(project, journey, version)).asMaps()) {
            long runs = Long.parseLong(r.get("runs"));
            switch (r.get("kind")) {
                case "entered" -> entered += runs;
                case "converted" -> converted += runs;
                case "completed" -> completed += runs;
                case "error" -> errors += runs;
                case "moved" -> moved += runs;
                case "exited" -> exited.merge(r.get("reason").isEmpty() ? "unspecified" : r.get("reason"), runs, Long::sum);
                default -> { }
            }
        }
        Map<String, StepStats> steps = new TreeMap<>();
        for (Map<String, String> r : query(JourneySql.steps(project, journey, version)).asMaps()) {
            steps.put(r.get("step_id"), new StepStats(Long.parseLong(r.get("reached")), Long.parseLong(r.get("sent")),
                    Long.parseLong(r.get("capped")), Long.parseLong(r.get("suppressed"))));
        }
        Map<String, Long> inFlight = new TreeMap<>();
        for (Map<String, String> r : query(JourneySql.atStep(project, journey, version)).asMaps()) {
            inFlight.put(r.get("step"), Long.parseLong(r.get("runs")));
        }
        return new Stats(entered, inFlight, converted, completed, exited, errors, moved, steps);
    }

    /** A person's runs of every journey, newest first, at most {@code limit}. */
    public List<Run> runsOf(String project, String person, int limit) {
        List<Run> out = new ArrayList<>();
        for (Map<String, String> r : query(JourneySql.personRuns(project, person, limit)).asMaps()) {
            String last = r.get("last_kind");
            boolean over = JourneySql.ENDING_KINDS.contains("'" + last + "'");
            out.add(new Run(r.get("journey_id"), Integer.parseInt(r.get("journey_version")), Long.parseLong(r.get("entry")),
                    Long.parseLong(r.get("entered_at_ms")), Long.parseLong(r.get("last_at_ms")), r.get("step"),
                    over ? last : "active", over && !r.get("last_reason").isEmpty() ? r.get("last_reason") : null,
                    "1".equals(r.get("converted"))));
        }
        return out;
    }

    private QueryResult query(String sql) {
        return warehouse.query(sql, SETTINGS).result();
    }
}
