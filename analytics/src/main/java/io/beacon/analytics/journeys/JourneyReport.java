package io.beacon.analytics.journeys;

import io.beacon.analytics.Warehouse;
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

    public JourneyReport(Warehouse warehouse) {
        this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
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
