package io.beacon.control.journeys;

import io.beacon.control.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Moving in-flight runs to a newly published version: the publisher maps steps of the old version to steps of the
 * new one; runs at a mapped step move, all others finish on the version they entered. Pure: the service validates
 * the mapping and shows the {@link #preview} before publishing.
 */
public final class StepMapping {

    /**
     * What a mapping would do to the runs in flight now.
     *
     * @param movedTo step of the new version → how many runs would move there (steps no run moves to are absent)
     * @param staying how many runs stay on the old version (their step is not mapped)
     */
    public record Preview(Map<String, Long> movedTo, long staying) {
        public Preview {
            movedTo = Collections.unmodifiableMap(new TreeMap<>(movedTo));
        }

        /** How many runs would move. */
        public long moving() {
            return movedTo.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private StepMapping() {
    }

    /**
     * The problems of {@code mapping} (old step id → new step id) from {@code from} to {@code to}: fields
     * {@code mapping.<oldStep>} for an old step {@code from} does not have or a target {@code to} does not have;
     * {@code mapping} when the two are not versions of the same journey. Empty when it is valid.
     */
    public static List<FieldError> validate(JourneyDefinition from, JourneyDefinition to, Map<String, String> mapping) {
        List<FieldError> out = new ArrayList<>();
        if (!from.projectId().equals(to.projectId()) || !from.id().equals(to.id())) {
            out.add(new FieldError("mapping", "maps between two journeys ('" + from.id() + "' and '" + to.id()
                    + "'); a mapping moves runs between versions of one journey"));
            return out;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(mapping).entrySet()) {
            String field = "mapping." + DocumentReader.printable(e.getKey());
            if (!from.steps().containsKey(e.getKey())) {
                out.add(new FieldError(field, "step '" + DocumentReader.printable(e.getKey()) + "' is not a step of version "
                        + from.journeyVersion()));
            }
            String target = e.getValue();
            if (target == null || !to.steps().containsKey(target)) {
                out.add(new FieldError(field, "step '" + DocumentReader.printable(e.getKey()) + "' is mapped to '"
                        + (target == null ? "null" : DocumentReader.printable(target)) + "', which is not a step of version "
                        + to.journeyVersion()));
            }
        }
        return out;
    }

    /**
     * Where the runs would go: {@code runsAtOldStep} counts the in-flight runs of the old version by their step;
     * runs at a mapped step move to its target, the rest stay.
     *
     * @throws IllegalArgumentException for a negative count
     */
    public static Preview preview(Map<String, Long> runsAtOldStep, Map<String, String> mapping) {
        Map<String, Long> moved = new TreeMap<>();
        long staying = 0;
        for (Map.Entry<String, Long> e : runsAtOldStep.entrySet()) {
            long runs = Objects.requireNonNull(e.getValue(), "count");
            if (runs < 0) {
                throw new IllegalArgumentException("negative run count at step '" + e.getKey() + "': " + runs);
            }
            String target = mapping.get(e.getKey());
            if (target == null) {
                staying += runs;
            } else if (runs > 0) {
                moved.merge(target, runs, Long::sum);
            }
        }
        return new Preview(moved, staying);
    }
}
