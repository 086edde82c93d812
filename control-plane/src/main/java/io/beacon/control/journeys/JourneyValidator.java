package io.beacon.control.journeys;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.RuleJson;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a journey beyond its JSON shape; {@link JourneyJson#parse} runs them, and so can anyone holding a
 * {@link JourneyDefinition} built in code. Each problem is a {@link FieldError} whose field is the machine-readable
 * part ({@code entry}, {@code steps.<id>.next}, {@code steps.<id>.branches[1].percent}, {@code trigger.segment_id},
 * …) and whose message names the step:
 *
 * <ul>
 *   <li>references (entry, next, then, else, timeout_next, branches[i].next) to no step;</li>
 *   <li>steps not reachable from the entry step;</li>
 *   <li>cycles without a {@code delay} or {@code wait_until} step, which a run would go round without waiting
 *       (a cycle through either is allowed);</li>
 *   <li>destinations and segments the project does not have ({@link JourneyContext});</li>
 *   <li>random split percents ≤ 0 or not summing to 100, fewer than two branches;</li>
 *   <li>durations (delay, max_wait, goal window, re-entry cool-down) ≤ 0 or above
 *       {@link #MAX_DURATION} (3650 days); a journey_version below 1; quiet hours that start when they end;
 *       unknown scores.</li>
 * </ul>
 */
public final class JourneyValidator {
    /** The longest duration a journey may name (the rule language's bound). */
    public static final Duration MAX_DURATION = RuleJson.MAX_DURATION;
    public static final int MIN_SPLIT_BRANCHES = 2;

    private JourneyValidator() {
    }

    /** Every problem of {@code def} in {@code ctx}; empty when it is valid. */
    public static List<FieldError> validate(JourneyDefinition def, JourneyContext ctx) {
        List<FieldError> out = new ArrayList<>();
        checkTrigger(def.trigger(), ctx, out);
        checkSettings(def.journeyVersion(), def.goal(), def.reEntry(), def.quietHours(), out);
        checkSteps(def.steps(), def.entry(), Set.of(), ctx, out);
        return out;
    }

    /** @throws InvalidDocumentException listing every problem of {@code def} when there is one */
    public static void requireValid(JourneyDefinition def, JourneyContext ctx) {
        List<FieldError> errors = validate(def, ctx);
        if (!errors.isEmpty()) {
            throw new InvalidDocumentException(errors);
        }
    }

    static void checkTrigger(Trigger trigger, JourneyContext ctx, List<FieldError> out) {
        if (trigger instanceof Trigger.SegmentEntered e && !ctx.hasSegment(e.segmentId())) {
            out.add(new FieldError("trigger.segment_id", "the trigger names segment '" + e.segmentId()
                    + "', which is not a segment of the project"));
        } else if (trigger instanceof Trigger.SegmentExited x && !ctx.hasSegment(x.segmentId())) {
            out.add(new FieldError("trigger.segment_id", "the trigger names segment '" + x.segmentId()
                    + "', which is not a segment of the project"));
        } else if (trigger instanceof Trigger.ScoreCrossed s) {
            if (!Trigger.SCORES.contains(s.score())) {
                out.add(new FieldError("trigger.score", "the trigger names the unknown score '" + s.score()
                        + "' (churn_risk, ltv_predicted)"));
            } else if (s.score().equals("churn_risk") && (s.threshold() < 0 || s.threshold() > 1)) {
                out.add(new FieldError("trigger.threshold", "churn_risk is a probability: the threshold must be from 0 to 1, was "
                        + s.threshold()));
            }
        }
    }

    /** Journey-wide settings; {@code null} arguments (unreadable in the document) are skipped. */
    static void checkSettings(Integer journeyVersion, Goal goal, ReEntry reEntry, QuietHours quietHours, List<FieldError> out) {
        if (journeyVersion != null && journeyVersion < 1) {
            out.add(new FieldError("journey_version", "the journey version must be at least 1, was " + journeyVersion));
        }
        if (goal != null) {
            duration(goal.window(), "goal.window", "the goal window", out);
        }
        if (reEntry != null && reEntry.cooldown() != null) {
            duration(reEntry.cooldown(), "re_entry.cooldown", "the re-entry cooldown", out);
        }
        if (quietHours != null && quietHours.start().equals(quietHours.end())) {
            out.add(new FieldError("quiet_hours.end", "quiet hours must end at another time than they start ("
                    + DocumentReader.localTimeText(quietHours.start()) + ")"));
        }
    }

    /**
     * The steps' own checks and the graph's. {@code unparsed} are step ids the document has but whose steps could
     * not be read: references to them are not dangling, and reachability and cycles are only judged without them.
     */
    static void checkSteps(Map<String, Step> steps, String entry, Set<String> unparsed, JourneyContext ctx, List<FieldError> out) {
        boolean entryKnown = entry != null && steps.containsKey(entry);
        if (entry != null && !entryKnown && !unparsed.contains(entry)) {
            out.add(new FieldError("entry", "the entry step '" + entry + "' is not a step of the journey"));
        }
        for (Step s : steps.values()) {
            checkStep(s, ctx, out);
            s.successors().forEach((field, target) -> {
                if (!steps.containsKey(target) && !unparsed.contains(target)) {
                    out.add(new FieldError(field(s, field), "step '" + s.id() + "': " + field + " names '" + target
                            + "', which is not a step of the journey"));
                }
            });
        }
        if (!unparsed.isEmpty()) {
            return;
        }
        if (entryKnown) {
            Set<String> reached = reachable(steps, entry);
            for (String id : steps.keySet()) {
                if (!reached.contains(id)) {
                    out.add(new FieldError("steps." + id, "step '" + id + "' is not reachable from the entry step '" + entry + "'"));
                }
            }
        }
        new CycleFinder(steps, out).run();
    }

    private static void checkStep(Step step, JourneyContext ctx, List<FieldError> out) {
        String who = "step '" + step.id() + "': ";
        if (step instanceof Step.Send send) {
            if (!ctx.hasDestination(send.destinationId())) {
                out.add(new FieldError(field(step, "destination_id"), who + "destination_id names '" + send.destinationId()
                        + "', which is not a destination of the project"));
            }
        } else if (step instanceof Step.Delay delay) {
            if (delay.duration() != null) {
                duration(delay.duration(), field(step, "duration"), who + "the delay", out);
            }
        } else if (step instanceof Step.WaitUntil wait) {
            duration(wait.maxWait(), field(step, "max_wait"), who + "max_wait", out);
        } else if (step instanceof Step.RandomSplit split) {
            List<Step.SplitBranch> branches = split.branches();
            if (branches.size() < MIN_SPLIT_BRANCHES) {
                out.add(new FieldError(field(step, "branches"), who + "a random split needs at least " + MIN_SPLIT_BRANCHES
                        + " branches, had " + branches.size()));
            }
            int sum = 0;
            for (int i = 0; i < branches.size(); i++) {
                int p = branches.get(i).percent();
                if (p <= 0 || p > 100) {
                    out.add(new FieldError(field(step, "branches[" + i + "].percent"), who + "a branch's percent must be from 1 to 100, was " + p));
                }
                sum += p;
            }
            if (sum != 100) {
                out.add(new FieldError(field(step, "branches"), who + "the branches' percents must sum to 100, they sum to " + sum));
            }
        }
    }

    private static void duration(Duration d, String field, String what, List<FieldError> out) {
        if (d.isNegative() || d.isZero()) {
            out.add(new FieldError(field, what + " must be positive, was " + d));
        } else if (d.compareTo(MAX_DURATION) > 0) {
            out.add(new FieldError(field, what + " must be at most " + MAX_DURATION.toDays() + " days, was " + d));
        }
    }

    private static String field(Step step, String relative) {
        return "steps." + step.id() + "." + relative;
    }

    private static Set<String> reachable(Map<String, Step> steps, String entry) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(entry);
        seen.add(entry);
        while (!todo.isEmpty()) {
            Step s = steps.get(todo.poll());
            for (String next : s.successors().values()) {
                if (steps.containsKey(next) && seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return seen;
    }

    /**
     * Depth-first search, in document order, of the graph without its waiting steps: a cycle there is a cycle with
     * no delay and no wait_until. Each back edge found is reported at the field that closes its cycle.
     */
    private static final class CycleFinder {
        private final Map<String, Step> steps;
        private final List<FieldError> out;
        private final Map<String, Boolean> onPath = new HashMap<>();
        private final List<String> path = new ArrayList<>();

        CycleFinder(Map<String, Step> steps, List<FieldError> out) {
            this.steps = steps;
            this.out = out;
        }

        void run() {
            for (Step s : steps.values()) {
                if (!s.waits() && !onPath.containsKey(s.id())) {
                    visit(s);
                }
            }
        }

        private void visit(Step s) {
            onPath.put(s.id(), true);
            path.add(s.id());
            s.successors().forEach((field, target) -> {
                Step t = steps.get(target);
                if (t == null || t.waits()) {
                    return;
                }
                Boolean state = onPath.get(target);
                if (state == null) {
                    visit(t);
                } else if (state) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(target), path.size()));
                    cycle.add(target);
                    out.add(new FieldError(field(s, field), "step '" + s.id() + "': " + field + " goes back to '" + target
                            + "', closing the cycle " + String.join(" → ", cycle) + " with no delay or wait_until step, "
                            + "which a run would go round without waiting"));
                }
            });
            path.remove(path.size() - 1);
            onPath.put(s.id(), false);
        }
    }
}
