package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.destinations.Template;
import io.beacon.control.journeys.Criterion;
import io.beacon.control.journeys.EventFilters;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.Goal;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyStatus;
import io.beacon.control.journeys.PauseBehaviour;
import io.beacon.control.journeys.QuietHours;
import io.beacon.control.journeys.ReEntry;
import io.beacon.control.journeys.Step;
import io.beacon.control.journeys.Trigger;
import io.beacon.event.JourneyEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The pure execution of journeys for one user (semantics in {@code package-info.java}): each call takes the user's
 * {@link UserJourneys} and returns the next one with the sends, trait updates and journey events it decided. All
 * time is {@code nowMs}; local days and times of day are in {@code zone}.
 */
public final class JourneyInterpreter {
    /** The most steps one run may pass in one call; a validated graph needs far fewer. */
    public static final int STEP_BUDGET = 64;
    /** How often a timer looks again at a due run of a paused journey that holds its runs. */
    public static final Duration HOLD_RECHECK = Duration.ofMinutes(15);

    static final String EXIT_CRITERIA = "exit_criteria";
    static final String ARCHIVED = "archived";
    static final String ERROR = "error";
    static final String QUIET_HOURS = "quiet_hours";

    /**
     * What one call decided.
     *
     * @param journeys     the user's journey state after the call (store it with the user's state)
     * @param sends        the messages to put on the outbox, in the order decided (higher journey priority first)
     * @param traitUpdates traits to set on the user (a later step's value of a trait wins); branches in the same call
     *                     still read the traits as they were
     * @param events       the journey events, in the order decided
     * @param nextWakeAtMs when {@link #onTimer} must run next, {@link Long#MAX_VALUE} for never
     */
    public record Outcome(UserJourneys journeys, List<JourneySend> sends, Map<String, JsonNode> traitUpdates,
                          List<JourneyEvent> events, long nextWakeAtMs) {
        public Outcome {
            Objects.requireNonNull(journeys, "journeys");
            sends = List.copyOf(sends);
            traitUpdates = Collections.unmodifiableMap(new LinkedHashMap<>(traitUpdates));
            events = List.copyOf(events);
        }
    }

    private JourneyInterpreter() {
    }

    /**
     * Reacts to {@code input}: ends runs of archived or missing journeys, records goals, applies exit criteria to
     * every active run, then, journey by journey in priority order, advances due runs, moves waits the input
     * satisfies and enters the user where the trigger matches and re-entry allows. An input whose event id was
     * applied already changes nothing.
     *
     * @param journeys every version that has runs of this user, and the current definition of each journey
     */
    public static Outcome onEvent(UserJourneys state, JourneyInput input, JourneyVersions journeys, FrequencyCaps caps,
                                  UserView view, long nowMs, ZoneId zone) {
        Objects.requireNonNull(input, "input");
        return new Call(state, input, journeys, caps, view, nowMs, zone).run();
    }

    /** Advances every run whose wake time has come (delays, wait timeouts and conditions, quiet-hours deferrals). */
    public static Outcome onTimer(UserJourneys state, JourneyVersions journeys, FrequencyCaps caps, UserView view,
                                  long nowMs, ZoneId zone) {
        return new Call(state, null, journeys, caps, view, nowMs, zone).run();
    }

    /**
     * Moves the active runs of {@code from}'s version whose step {@code mapping} names (old step id → new step id)
     * to version {@code to}, at the mapped step; every other run stays. A moved run keeps the time it arrived at its
     * step and is due at once, so the next {@link #onTimer} continues it under the new version's step. Validate the
     * mapping first ({@code StepMapping.validate}).
     */
    public static Outcome applyMapping(UserJourneys state, JourneyDefinition from, JourneyDefinition to,
                                       Map<String, String> mapping, String projectId, String personId, long nowMs) {
        if (!from.id().equals(to.id())) {
            throw new IllegalArgumentException("a mapping moves runs between versions of one journey, not from '"
                    + from.id() + "' to '" + to.id() + "'");
        }
        List<JourneyEvent> events = new ArrayList<>();
        UserJourneys next = state;
        Optional<JourneyRun> found = state.run(from.id());
        if (found.isPresent() && found.get().active() && found.get().journeyVersion() == from.journeyVersion()) {
            JourneyRun run = found.get();
            String target = mapping.get(run.stepId());
            if (target != null && to.steps().containsKey(target)) {
                events.add(event(projectId, personId, run, JourneyEvent.Kind.MOVED, run.stepId(),
                        "v" + to.journeyVersion() + ":" + target, null, null, nowMs, null));
                run = run.nextSeq().movedTo(to.journeyVersion(), target);
                events.add(event(projectId, personId, run, JourneyEvent.Kind.STEP_ENTERED, target, null, null, null, nowMs, null));
                run = run.nextSeq().withWakeAtMs(nowMs);
                next = state.withRun(run);
            }
        }
        return new Outcome(next, List.of(), Map.of(), events, next.earliestWakeAtMs());
    }

    static JourneyEvent event(String projectId, String personId, JourneyRun run, JourneyEvent.Kind kind, String stepId,
                              String reason, String channel, String messageKey, long atMs, String eventId) {
        return new JourneyEvent(projectId, personId, run.journeyId(), run.journeyVersion(), run.entry(), run.seq(), kind,
                stepId, reason, channel, messageKey, atMs, eventId);
    }

    /** One call's working state; the interpreter's only mutable part, confined to the call. */
    private static final class Call {
        private UserJourneys state;
        private final JourneyInput input;
        private final JourneyInput.Event event;
        private final JourneyVersions journeys;
        private final FrequencyCaps caps;
        private final UserView view;
        private final long now;
        private final ZoneId zone;
        private final String eventId;
        private final List<JourneySend> sends = new ArrayList<>();
        private final Map<String, JsonNode> traits = new LinkedHashMap<>();
        private final List<JourneyEvent> events = new ArrayList<>();

        Call(UserJourneys state, JourneyInput input, JourneyVersions journeys, FrequencyCaps caps, UserView view,
             long now, ZoneId zone) {
            this.state = Objects.requireNonNull(state, "state");
            this.input = input;
            this.event = input instanceof JourneyInput.Event e ? e : null;
            this.journeys = Objects.requireNonNull(journeys, "journeys");
            this.caps = Objects.requireNonNull(caps, "caps");
            this.view = Objects.requireNonNull(view, "view");
            this.now = now;
            this.zone = zone == null ? ZoneId.of("UTC") : zone;
            this.eventId = input == null ? null : input.eventId();
        }

        Outcome run() {
            String key = input == null ? null : input.dedupKey();
            if (key != null && state.applied(key)) {
                return outcome();
            }
            endRunsOfGoneJourneys();
            if (event != null) {
                recordGoals();
            }
            applyExitCriteria();
            for (String journeyId : journeysInPriorityOrder()) {
                Optional<JourneyRun> latest = state.run(journeyId);
                if (latest.isPresent() && latest.get().active()) {
                    step(latest.get());
                } else if (input != null) {
                    journeys.current(journeyId).ifPresent(def -> enterIfTriggered(def, latest));
                }
            }
            if (key != null) {
                state = state.withAppliedInput(key);
            }
            return outcome();
        }

        private Outcome outcome() {
            long next = Long.MAX_VALUE;
            for (JourneyRun r : state.activeRuns()) {
                long wake = r.wakeAtMs();
                if (held(r.journeyId()) && wake <= now) {
                    wake = now + HOLD_RECHECK.toMillis();
                }
                next = Math.min(next, wake);
            }
            return new Outcome(state, sends, traits, events, next);
        }

        // ---- lifecycle, goals, exits ----------------------------------------------------------------

        private void endRunsOfGoneJourneys() {
            for (JourneyRun r : state.activeRuns()) {
                Optional<JourneyDefinition> current = journeys.current(r.journeyId());
                if (current.isEmpty()) {
                    fail(r, "journey '" + r.journeyId() + "' is not defined any more");
                } else if (current.get().status() == JourneyStatus.ARCHIVED) {
                    exit(r, ARCHIVED);
                } else if (journeys.version(r.journeyId(), r.journeyVersion()).isEmpty()) {
                    fail(r, "version " + r.journeyVersion() + " of journey '" + r.journeyId() + "' is not loaded");
                }
            }
        }

        private void recordGoals() {
            for (JourneyRun r : List.copyOf(state.runs().values())) {
                if (r.converted()) {
                    continue;
                }
                Goal goal = journeys.version(r.journeyId(), r.journeyVersion()).map(JourneyDefinition::goal).orElse(null);
                if (goal != null && now - r.enteredAtMs() <= goal.window().toMillis()
                        && EventFilters.matches(goal.event(), event.name(), event.properties())) {
                    put(emit(r, JourneyEvent.Kind.CONVERTED, null, null, null, null).asConverted());
                }
            }
        }

        private void applyExitCriteria() {
            for (JourneyRun r : state.activeRuns()) {
                JourneyDefinition def = journeys.version(r.journeyId(), r.journeyVersion()).orElseThrow();
                for (Criterion c : def.exitCriteria()) {
                    if (satisfied(c)) {
                        exit(r, EXIT_CRITERIA);
                        break;
                    }
                }
            }
        }

        /** Whether {@code c} holds now: its event is this call's event, or its rule holds. */
        private boolean satisfied(Criterion c) {
            if (c instanceof Criterion.EventOccurs e) {
                return event != null && EventFilters.matches(e.match(), event.name(), event.properties());
            }
            return view.matches(((Criterion.RuleHolds) c).rule(), now);
        }

        private List<String> journeysInPriorityOrder() {
            Map<String, Integer> priority = new LinkedHashMap<>();
            for (JourneyRun r : state.activeRuns()) {
                priority.put(r.journeyId(), journeys.current(r.journeyId()).map(JourneyDefinition::priority).orElse(0));
            }
            if (input != null) {
                for (JourneyDefinition d : journeys.live()) {
                    priority.put(d.id(), d.priority());
                }
            }
            TreeSet<String> ordered = new TreeSet<>(Comparator.<String>comparingInt(priority::get).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            ordered.addAll(priority.keySet());
            return List.copyOf(ordered);
        }

        private boolean held(String journeyId) {
            Optional<JourneyDefinition> current = journeys.current(journeyId);
            return current.isPresent() && current.get().status() == JourneyStatus.PAUSED
                    && current.get().pauseBehaviour() == PauseBehaviour.HOLD;
        }

        // ---- entries --------------------------------------------------------------------------------

        private void enterIfTriggered(JourneyDefinition def, Optional<JourneyRun> latest) {
            if (def.status() != JourneyStatus.LIVE || !triggered(def.trigger()) || !mayEnter(def.reEntry(), latest)) {
                return;
            }
            long entry = latest.map(r -> r.entry() + 1).orElse(1L);
            JourneyRun run = emit(JourneyRun.start(def.id(), def.journeyVersion(), entry, def.entry(), now),
                    JourneyEvent.Kind.ENTERED, null, null, null, null);
            advance(arrive(run, def.entry()), def);
        }

        private boolean triggered(Trigger t) {
            if (t instanceof Trigger.Event e) {
                return event != null && EventFilters.matches(e.match(), event.name(), event.properties());
            }
            if (t instanceof Trigger.SegmentEntered s) {
                return input instanceof JourneyInput.SegmentEntered in && in.segmentId().equals(s.segmentId());
            }
            if (t instanceof Trigger.SegmentExited s) {
                return input instanceof JourneyInput.SegmentExited in && in.segmentId().equals(s.segmentId());
            }
            Trigger.ScoreCrossed sc = (Trigger.ScoreCrossed) t;
            return input instanceof JourneyInput.ScoreCrossed in && in.score().equals(sc.score())
                    && sc.op().test(in.value(), sc.threshold())
                    && (in.previous() == null || !sc.op().test(in.previous(), sc.threshold()));
        }

        private boolean mayEnter(ReEntry reEntry, Optional<JourneyRun> latest) {
            if (latest.isEmpty()) {
                return true;
            }
            return switch (reEntry.policy()) {
                case ONCE -> false;
                case AFTER -> now - latest.get().enteredAtMs() >= reEntry.cooldown().toMillis();
                case ALWAYS -> true;
            };
        }

        // ---- steps ----------------------------------------------------------------------------------

        /** One active run's turn: held, due, or waiting for what this input may bring. */
        private void step(JourneyRun run) {
            if (held(run.journeyId())) {
                return;
            }
            JourneyDefinition def = journeys.version(run.journeyId(), run.journeyVersion()).orElseThrow();
            Step step = def.steps().get(run.stepId());
            if (step instanceof Step.WaitUntil w && input != null && now < run.stepEnteredAtMs() + w.maxWait().toMillis()
                    && satisfied(w.until())) {
                advance(arrive(run, w.next()), def);
            } else if (run.wakeAtMs() <= now) {
                advance(run, def);
            }
        }

        /** The run arrived at {@code stepId} now. */
        private JourneyRun arrive(JourneyRun run, String stepId) {
            return emit(run.atStep(stepId, now), JourneyEvent.Kind.STEP_ENTERED, stepId, null, null, null);
        }

        /** Carries {@code run} on from its current step until it rests at a wait or ends. */
        private void advance(JourneyRun run, JourneyDefinition def) {
            int budget = STEP_BUDGET;
            while (true) {
                Step step = def.steps().get(run.stepId());
                if (step == null) {
                    fail(run, "step '" + run.stepId() + "' is not a step of version " + def.journeyVersion());
                    return;
                }
                String next;
                if (step instanceof Step.Exit) {
                    put(emit(run, JourneyEvent.Kind.COMPLETED, step.id(), null, null, null).ended(JourneyRun.Status.COMPLETED, null, now));
                    return;
                } else if (step instanceof Step.Delay d) {
                    long end = delayEnd(d, run.stepEnteredAtMs());
                    if (now < end) {
                        rest(run, def, end);
                        return;
                    }
                    next = d.next();
                } else if (step instanceof Step.WaitUntil w) {
                    long timeout = run.stepEnteredAtMs() + w.maxWait().toMillis();
                    if (w.until() instanceof Criterion.RuleHolds rh && view.matches(rh.rule(), now)) {
                        next = w.next();
                    } else if (now >= timeout) {
                        next = w.timeoutNext();
                    } else {
                        long wake = w.until() instanceof Criterion.RuleHolds rh
                                ? Math.min(timeout, view.nextChangeAtMs(rh.rule(), now)) : timeout;
                        rest(run, def, wake);
                        return;
                    }
                } else if (step instanceof Step.Send s) {
                    QuietHours q = def.quietHours();
                    if (q != null && q.contains(LocalClock.timeOfDay(now, zone))) {
                        if (q.action() == QuietHours.Action.DELAY) {
                            rest(run, def, LocalClock.nextTimeOfDay(now, q.end(), zone));
                            return;
                        }
                        run = emit(run, JourneyEvent.Kind.SUPPRESSED, s.id(), QUIET_HOURS, s.channel(), null);
                    } else {
                        run = send(run, def, s);
                    }
                    next = s.next();
                } else if (step instanceof Step.Branch b) {
                    next = view.matches(b.condition(), now) ? b.then() : b.otherwise();
                } else if (step instanceof Step.RandomSplit r) {
                    next = split(r, run.journeyId());
                } else {
                    Step.UpdateTraits u = (Step.UpdateTraits) step;
                    traits.putAll(u.set());
                    next = u.next();
                }
                if (--budget <= 0) {
                    fail(run, "passed " + STEP_BUDGET + " steps in one call at step '" + run.stepId() + "'");
                    return;
                }
                run = arrive(run, next);
            }
        }

        private long delayEnd(Step.Delay d, long startedAtMs) {
            return d.duration() != null ? startedAtMs + d.duration().toMillis()
                    : LocalClock.nextTimeOfDay(startedAtMs, d.untilLocalTime(), zone);
        }

        /** The run waits at its step until {@code wakeAtMs}, or earlier when an exit condition may start to hold. */
        private void rest(JourneyRun run, JourneyDefinition def, long wakeAtMs) {
            long wake = wakeAtMs;
            for (Criterion c : def.exitCriteria()) {
                if (c instanceof Criterion.RuleHolds rh) {
                    wake = Math.min(wake, view.nextChangeAtMs(rh.rule(), now));
                }
            }
            put(run.withWakeAtMs(wake));
        }

        private String split(Step.RandomSplit r, String journeyId) {
            int bucket = SplitBucket.of(journeyId, view.personId());
            int upTo = 0;
            for (Step.SplitBranch b : r.branches()) {
                upTo += b.percent();
                if (bucket < upTo) {
                    return b.next();
                }
            }
            return r.branches().get(r.branches().size() - 1).next();
        }

        private JourneyRun send(JourneyRun run, JourneyDefinition def, Step.Send s) {
            long day = LocalClock.epochDay(now, zone);
            OptionalInt max = caps.maxPerDay(s.channel());
            if (max.isPresent() && state.sendsOn(s.channel(), day) >= max.getAsInt()) {
                return emit(run, JourneyEvent.Kind.CAPPED, s.id(), null, s.channel(), null);
            }
            state = state.withSend(s.channel(), day);
            String key = JourneySend.messageKey(run.journeyId(), run.journeyVersion(), view.personId(), run.entry(), s.id());
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, String> templates = new LinkedHashMap<>();
            for (Map.Entry<String, Template> f : s.template().entrySet()) {
                fields.put(f.getKey(), f.getValue().render(name -> variable(name, def, s)));
                templates.put(f.getKey(), f.getValue().source());
            }
            sends.add(new JourneySend(view.projectId(), view.personId(), run.journeyId(), run.journeyVersion(), run.entry(),
                    s.id(), s.destinationId(), s.channel(), fields, templates, key, now, eventId));
            return emit(run, JourneyEvent.Kind.SENT, s.id(), null, s.channel(), key);
        }

        /** A template variable's value for a send (the names of {@code Template} and the journey's three). */
        private Optional<String> variable(String name, JourneyDefinition def, Step.Send s) {
            switch (name) {
                case "person_id":
                    return Optional.of(view.personId());
                case "type":
                    return Optional.of(JourneySend.MESSAGE_TYPE);
                case "timestamp":
                    return Optional.of(Instant.ofEpochMilli(now).toString());
                case "journey.id":
                    return Optional.of(def.id());
                case "journey.name":
                    return Optional.of(def.name());
                case "step.id":
                    return Optional.of(s.id());
                case "event.name":
                    return event == null ? Optional.empty() : Optional.of(event.name());
                case "segment.id":
                    if (input instanceof JourneyInput.SegmentEntered in) {
                        return Optional.of(in.segmentId());
                    }
                    return input instanceof JourneyInput.SegmentExited out ? Optional.of(out.segmentId()) : Optional.empty();
                default:
                    break;
            }
            if (name.startsWith("traits.")) {
                return view.trait(name.substring("traits.".length())).map(Call::text);
            }
            if (name.startsWith("event.properties.") && event != null) {
                JsonNode v = event.properties().path(name.substring("event.properties.".length()));
                return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(text(v));
            }
            return Optional.empty();
        }

        private static String text(JsonNode n) {
            return n.isValueNode() ? n.asText() : n.toString();
        }

        // ---- endings and events -------------------------------------------------------------------

        private void exit(JourneyRun run, String reason) {
            put(emit(run, JourneyEvent.Kind.EXITED, run.stepId(), reason, null, null).ended(JourneyRun.Status.EXITED, reason, now));
        }

        private void fail(JourneyRun run, String why) {
            put(emit(run, JourneyEvent.Kind.ERROR, run.stepId(), why, null, null).ended(JourneyRun.Status.EXITED, ERROR, now));
        }

        /** Records an event of {@code run} with its next seq; returns the run with the seq advanced. */
        private JourneyRun emit(JourneyRun run, JourneyEvent.Kind kind, String stepId, String reason, String channel,
                                String messageKey) {
            events.add(event(view.projectId(), view.personId(), run, kind, stepId, reason, channel, messageKey, now, eventId));
            return run.nextSeq();
        }

        private void put(JourneyRun run) {
            state = state.withRun(run);
        }
    }
}
