package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.destinations.PropertyFilter;
import io.beacon.control.journeys.EventFilters;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyStatus;
import io.beacon.control.journeys.QuietHours;
import io.beacon.control.journeys.Step;
import io.beacon.control.journeys.Trigger;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.JourneyEvent;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Dry runs of one journey (issue 19, item 5), pure: the {@link JourneyInterpreter} runs on a fresh
 * {@link UserJourneys} under a clock the simulation moves, and what it decides is only reported, never sent or stored.
 * The journey is treated as live whatever its status, so a draft can be tried.
 * <ul>
 *   <li>{@link #path}: one user enters now as if the trigger fired; then time runs on with no further event, timer
 *       by timer, until the run ends, the horizon passes or {@link #CALL_BUDGET} calls were made. A wait for an event
 *       therefore takes its timeout branch.</li>
 *   <li>{@link #forecast}: people's histories replayed in event time through the journey: each event is folded into
 *       the person's state first ({@link ReplayedPerson}), then fed to the interpreter with the segment changes it
 *       caused, and due timers run between events and up to the end of the range. Only events inside the range feed
 *       the journey; earlier ones only build the state.</li>
 * </ul>
 * Trait updates of {@code update_traits} steps are reported, not applied to the user's state: later branches read the
 * traits as they were.
 */
public final class JourneySimulator {
    /** How far {@link #path} looks ahead when no horizon is given. */
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(90);
    /** The most interpreter calls one person's simulation makes; a run still going then is reported as stopped. */
    public static final int CALL_BUDGET = 10_000;
    /** The trait holding a person's IANA time zone; persons without a valid one are in UTC. */
    public static final String TIMEZONE_TRAIT = "timezone";

    static final String NO_FURTHER_EVENTS = "assumes no further events: a wait_until for an event takes its timeout branch,"
            + " and rules are read on the user's state as it is now";
    static final String TRAITS_NOT_APPLIED = "trait updates are listed, not applied: later steps read the traits as they were";
    static final String TRIGGER_FILTERS_MET = "the trigger's event filters are taken as met (the entering event has no such properties)";
    static final String SCORES_NOT_REPLAYED = "scores are not replayed: a score_crossed trigger enters nobody in a forecast";
    private static final ZoneId UTC = ZoneId.of("UTC");

    private JourneySimulator() {
    }

    /**
     * A send held back by the journey's quiet hours ({@code delay}): the run rests at the send step.
     *
     * @param entry   the run's entry number
     * @param stepId  the send step
     * @param atMs    when the run arrived at it inside the quiet hours
     * @param untilMs when the quiet hours end in the person's zone (the send is retried then)
     */
    public record Deferral(long entry, String stepId, long atMs, long untilMs) {
    }

    /**
     * What one person would go through.
     *
     * @param personId     the person
     * @param events       the journey events, in order
     * @param sends        the messages it would send (none is sent)
     * @param deferrals    the sends held back by quiet hours
     * @param traitUpdates the traits its {@code update_traits} steps would set (a later value wins)
     * @param ending       {@code completed}, {@code exited:<reason>}, {@code waiting at <step>} (horizon or range end),
     *                     {@code stopped at <step>} (call budget) or {@code not entered}
     * @param assumptions  what the simulation assumed, in words
     */
    public record Path(String personId, List<JourneyEvent> events, List<JourneySend> sends, List<Deferral> deferrals,
                       Map<String, JsonNode> traitUpdates, String ending, List<String> assumptions) {
        public Path {
            events = List.copyOf(events);
            sends = List.copyOf(sends);
            deferrals = List.copyOf(deferrals);
            traitUpdates = Collections.unmodifiableMap(new LinkedHashMap<>(traitUpdates));
            assumptions = List.copyOf(assumptions);
        }
    }

    /**
     * The figures of a replay through the journey.
     *
     * @param persons        persons replayed
     * @param historyEvents  events folded in (inside the range and before it)
     * @param personsEntered persons who entered at least once
     * @param entries        runs entered
     * @param sent           messages per channel
     * @param capped         sends refused by a frequency cap, per channel
     * @param suppressed     sends skipped by quiet hours ({@code skip}: a {@code suppressed} event, reason
     *                       {@code quiet_hours})
     * @param deferred       sends held back by quiet hours ({@code delay}; the interpreter emits no event for it)
     * @param exited         runs exited, by reason ({@code exit_criteria}, {@code error}, …)
     * @param completed      runs that reached an exit step
     * @param converted      runs that reached the goal
     * @param inFlight       runs still active at the end of the range, by step
     * @param stopped        persons whose simulation ran out of calls ({@link #CALL_BUDGET})
     * @param samples        the paths of the first persons who entered, by person id
     * @param assumptions    what the replay assumed, in words
     */
    public record Forecast(long persons, long historyEvents, long personsEntered, long entries, Map<String, Long> sent,
                           Map<String, Long> capped, long suppressed, long deferred, Map<String, Long> exited, long completed,
                           long converted, Map<String, Long> inFlight, long stopped, List<Path> samples,
                           List<String> assumptions) {
        public Forecast {
            sent = Collections.unmodifiableMap(new TreeMap<>(sent));
            capped = Collections.unmodifiableMap(new TreeMap<>(capped));
            exited = Collections.unmodifiableMap(new TreeMap<>(exited));
            inFlight = Collections.unmodifiableMap(new TreeMap<>(inFlight));
            samples = List.copyOf(samples);
            assumptions = List.copyOf(assumptions);
        }
    }

    /**
     * A person's state while their history is replayed, the port the engine's state code implements (the user state
     * with its segments); {@link #forecast} calls it in event time.
     */
    public interface ReplayedPerson {
        /** The person as the interpreter reads them, as of the last event folded in. */
        UserView view();

        /** Folds in {@code event} and returns the journey inputs of the segment entries and exits it caused. */
        List<JourneyInput> apply(Event event);

        /** When the person's segments may change with no new event, {@link Long#MAX_VALUE} for never. */
        long nextChangeAtMs();

        /** Re-evaluates the segments at {@code atMs} with no event; returns the inputs of the changes. */
        List<JourneyInput> advanceTo(long atMs);
    }

    /** The person's zone: the IANA id in trait {@value #TIMEZONE_TRAIT}, else UTC. */
    public static ZoneId zoneOf(UserView view) {
        Optional<JsonNode> tz = view.trait(TIMEZONE_TRAIT);
        if (tz.isPresent() && tz.get().isTextual()) {
            try {
                return ZoneId.of(tz.get().asText());
            } catch (DateTimeException notAZone) {
                return UTC;
            }
        }
        return UTC;
    }

    // ---- one user, now ---------------------------------------------------------------------------

    /**
     * The path {@code view}'s user would take if they entered {@code def} at {@code nowMs} and nothing else happened
     * until {@code nowMs + horizon} ({@link #DEFAULT_HORIZON} when {@code null}).
     */
    public static Path path(JourneyDefinition def, UserView view, FrequencyCaps caps, long nowMs, ZoneId zone, Duration horizon) {
        long end = saturatedAdd(nowMs, (horizon == null ? DEFAULT_HORIZON : horizon).toMillis());
        List<String> assumptions = new ArrayList<>();
        assumptions.add(NO_FURTHER_EVENTS);
        Entry entry = entry(def, view, assumptions);
        JourneyVersions versions = JourneyVersions.of(List.of(entry.def()));
        Recorder rec = new Recorder(entry.def());
        JourneyInterpreter.Outcome o = JourneyInterpreter.onEvent(UserJourneys.EMPTY, entry.input(), versions, caps, view,
                nowMs, zone);
        rec.add(o, nowMs, zone);
        long at = nowMs;
        int calls = 1;
        while (o.nextWakeAtMs() <= end && calls < CALL_BUDGET) {
            at = Math.max(at, o.nextWakeAtMs());
            o = JourneyInterpreter.onTimer(o.journeys(), versions, caps, view, at, zone);
            rec.add(o, at, zone);
            calls++;
        }
        return rec.path(view.personId(), o.journeys(), calls >= CALL_BUDGET && o.nextWakeAtMs() <= end, assumptions);
    }

    private record Entry(JourneyDefinition def, JourneyInput input) {
    }

    /** {@code def} as a live journey and the input that fires its trigger for {@code view}'s user. */
    static Entry entry(JourneyDefinition def, UserView view, List<String> assumptions) {
        JourneyDefinition live = def.withStatus(JourneyStatus.LIVE);
        Trigger t = live.trigger();
        if (t instanceof Trigger.SegmentEntered s) {
            return new Entry(live, new JourneyInput.SegmentEntered(s.segmentId(), null));
        }
        if (t instanceof Trigger.SegmentExited s) {
            return new Entry(live, new JourneyInput.SegmentExited(s.segmentId(), null));
        }
        if (t instanceof Trigger.Event e) {
            ObjectNode props = propertiesMeeting(e.match());
            JourneyInput.Event input = new JourneyInput.Event(e.match().event(), props, null);
            if (EventFilters.matches(e.match(), e.match().event(), props)) {
                return new Entry(live, input);
            }
            assumptions.add(TRIGGER_FILTERS_MET);
            return new Entry(withTrigger(live, new Trigger.Event(EventMatch.named(e.match().event()))), input);
        }
        Trigger.ScoreCrossed sc = (Trigger.ScoreCrossed) t;
        boolean above = sc.op() == Trigger.Crossing.ABOVE;
        double value = view.score(sc.score()).isPresent() && sc.op().test(view.score(sc.score()).getAsDouble(), sc.threshold())
                ? view.score(sc.score()).getAsDouble()
                : above ? Math.nextUp(sc.threshold()) : Math.nextDown(sc.threshold());
        return new Entry(live, new JourneyInput.ScoreCrossed(sc.score(), value, null, sc.threshold(), above ? "up" : "down", null));
    }

    /** Event properties meeting {@code match}'s filters where one value can (equal, greater, less, other, present). */
    private static ObjectNode propertiesMeeting(EventMatch match) {
        ObjectNode props = JsonNodeFactory.instance.objectNode();
        for (PropertyFilter f : EventFilters.filters(match)) {
            JsonNode v = f.value();
            switch (f.op()) {
                case EQ -> props.set(f.property(), v);
                case GT -> props.put(f.property(), v.asDouble() + 1);
                case LT -> props.put(f.property(), v.asDouble() - 1);
                case EXISTS -> props.put(f.property(), true);
                case NEQ -> {
                    if (v.isNumber()) {
                        props.put(f.property(), v.asDouble() + 1);
                    } else if (v.isBoolean()) {
                        props.put(f.property(), !v.asBoolean());
                    } else {
                        props.put(f.property(), v.asText() + "_other");
                    }
                }
                default -> {
                }
            }
        }
        return props;
    }

    private static JourneyDefinition withTrigger(JourneyDefinition d, Trigger trigger) {
        return new JourneyDefinition(d.projectId(), d.id(), d.name(), d.description(), d.status(), d.journeyVersion(),
                d.priority(), trigger, d.entry(), d.steps(), d.exitCriteria(), d.goal(), d.reEntry(), d.quietHours(),
                d.pauseBehaviour(), d.version(), d.updatedAtMs());
    }

    // ---- many people, over a range ---------------------------------------------------------------

    /**
     * Replays {@code historyByPerson} (each person's events, in any order; sorted here by event time, then id) through
     * {@code def} and counts what it would do between {@code fromMs} and {@code toMs} (inclusive).
     *
     * @param replay      a fresh replayed state per person id
     * @param samplePaths how many example paths to keep (the first persons who entered, by person id)
     */
    public static Forecast forecast(JourneyDefinition def, Map<String, List<Event>> historyByPerson, long fromMs, long toMs,
                                    FrequencyCaps caps, Function<String, ReplayedPerson> replay, int samplePaths) {
        JourneyDefinition live = def.withStatus(JourneyStatus.LIVE);
        JourneyVersions versions = JourneyVersions.of(List.of(live));
        Tally tally = new Tally();
        for (Map.Entry<String, List<Event>> p : new TreeMap<>(historyByPerson).entrySet()) {
            PersonReplay r = new PersonReplay(live, versions, caps, replay.apply(p.getKey()), fromMs, toMs);
            r.run(p.getValue());
            tally.add(r, samplePaths);
        }
        List<String> assumptions = new ArrayList<>();
        if (live.trigger() instanceof Trigger.ScoreCrossed) {
            assumptions.add(SCORES_NOT_REPLAYED);
        }
        if (live.steps().values().stream().anyMatch(s -> s instanceof Step.UpdateTraits)) {
            assumptions.add(TRAITS_NOT_APPLIED);
        }
        return new Forecast(historyByPerson.size(), tally.historyEvents, tally.personsEntered, tally.entries, tally.sent,
                tally.capped, tally.suppressed, tally.deferred, tally.exited, tally.completed, tally.converted, tally.inFlight,
                tally.stopped, tally.samples, assumptions);
    }

    /** One person's replay; its mutable state is confined to the call of {@link #forecast}. */
    private static final class PersonReplay {
        private final JourneyVersions versions;
        private final FrequencyCaps caps;
        private final ReplayedPerson person;
        private final long from;
        private final long to;
        private final Recorder rec;
        private UserJourneys journeys = UserJourneys.EMPTY;
        private long wake = Long.MAX_VALUE;
        private long segmentsWake = Long.MAX_VALUE;
        private int calls;
        private boolean stopped;
        private long folded;

        PersonReplay(JourneyDefinition live, JourneyVersions versions, FrequencyCaps caps, ReplayedPerson person, long from, long to) {
            this.versions = versions;
            this.caps = caps;
            this.person = person;
            this.from = from;
            this.to = to;
            this.rec = new Recorder(live);
        }

        void run(List<Event> history) {
            List<Event> ordered = new ArrayList<>(history);
            ordered.sort(Comparator.comparingLong(Event::eventTime).thenComparing(Event::eventId));
            for (Event e : ordered) {
                long t = e.eventTime();
                if (t > to || stopped) {
                    break;
                }
                timersUntil(t);
                List<JourneyInput> changes = person.apply(e);
                folded++;
                segmentsWake = person.nextChangeAtMs();
                if (t >= from) {
                    JsonNode props = EventCodec.mapper().valueToTree(e.properties());
                    call(new JourneyInput.Event(e.eventName(), props, e.eventId()), t);
                    for (JourneyInput c : changes) {
                        call(c, t);
                    }
                }
            }
            timersUntil(to);
        }

        /** Runs the segment re-evaluations and journey timers due up to {@code limit}, in time order. */
        private void timersUntil(long limit) {
            while (!stopped) {
                long next = Math.min(wake, segmentsWake);
                if (next > limit) {
                    return;
                }
                if (segmentsWake <= next) {
                    List<JourneyInput> changes = person.advanceTo(next);
                    long again = person.nextChangeAtMs();
                    segmentsWake = again > next ? again : next + 1;
                    if (next >= from) {
                        for (JourneyInput c : changes) {
                            call(c, next);
                        }
                    }
                }
                if (wake <= next) {
                    call(null, next);
                }
            }
        }

        private void call(JourneyInput input, long now) {
            if (++calls > CALL_BUDGET) {
                stopped = true;
                return;
            }
            UserView view = person.view();
            ZoneId zone = zoneOf(view);
            JourneyInterpreter.Outcome o = input == null
                    ? JourneyInterpreter.onTimer(journeys, versions, caps, view, now, zone)
                    : JourneyInterpreter.onEvent(journeys, input, versions, caps, view, now, zone);
            journeys = o.journeys();
            wake = o.nextWakeAtMs();
            rec.add(o, now, zone);
        }
    }

    /** The forecast's counters. */
    private static final class Tally {
        long historyEvents;
        long personsEntered;
        long entries;
        final Map<String, Long> sent = new TreeMap<>();
        final Map<String, Long> capped = new TreeMap<>();
        long suppressed;
        long deferred;
        final Map<String, Long> exited = new TreeMap<>();
        long completed;
        long converted;
        final Map<String, Long> inFlight = new TreeMap<>();
        long stopped;
        final List<Path> samples = new ArrayList<>();

        void add(PersonReplay r, int samplePaths) {
            historyEvents += r.folded;
            boolean entered = false;
            for (JourneyEvent e : r.rec.events) {
                switch (e.kind()) {
                    case ENTERED -> {
                        entries++;
                        entered = true;
                    }
                    case SENT -> sent.merge(e.channel(), 1L, Long::sum);
                    case CAPPED -> capped.merge(e.channel(), 1L, Long::sum);
                    case SUPPRESSED -> suppressed += JourneyInterpreter.QUIET_HOURS.equals(e.reason()) ? 1 : 0;
                    case EXITED -> exited.merge(e.reason() == null ? "unknown" : e.reason(), 1L, Long::sum);
                    case ERROR -> exited.merge(JourneyInterpreter.ERROR, 1L, Long::sum);
                    case COMPLETED -> completed++;
                    case CONVERTED -> converted++;
                    default -> {
                    }
                }
            }
            deferred += r.rec.deferrals.size();
            if (r.stopped) {
                stopped++;
            }
            if (!entered) {
                return;
            }
            personsEntered++;
            r.journeys.activeRuns().forEach(run -> inFlight.merge(run.stepId(), 1L, Long::sum));
            if (samples.size() < samplePaths) {
                samples.add(r.rec.path(r.person.view().personId(), r.journeys, r.stopped, List.of()));
            }
        }
    }

    /** Collects what the interpreter decided over a person's calls, and the quiet-hours deferrals it left no event for. */
    private static final class Recorder {
        private final JourneyDefinition def;
        final List<JourneyEvent> events = new ArrayList<>();
        final List<JourneySend> sends = new ArrayList<>();
        final List<Deferral> deferrals = new ArrayList<>();
        final Map<String, JsonNode> traits = new LinkedHashMap<>();
        private final Set<String> deferralKeys = new HashSet<>();

        Recorder(JourneyDefinition def) {
            this.def = def;
        }

        void add(JourneyInterpreter.Outcome o, long atMs, ZoneId zone) {
            events.addAll(o.events());
            sends.addAll(o.sends());
            traits.putAll(o.traitUpdates());
            QuietHours q = def.quietHours();
            Optional<JourneyRun> run = o.journeys().run(def.id());
            if (q == null || q.action() != QuietHours.Action.DELAY || run.isEmpty() || !run.get().active()
                    || !(def.steps().get(run.get().stepId()) instanceof Step.Send) || run.get().wakeAtMs() <= atMs) {
                return;
            }
            // a run resting at a send step is held by the quiet hours: the interpreter emits nothing for it
            JourneyRun r = run.get();
            if (deferralKeys.add(r.entry() + "/" + r.stepId() + "/" + r.stepEnteredAtMs())) {
                deferrals.add(new Deferral(r.entry(), r.stepId(), atMs, LocalClock.nextTimeOfDay(atMs, q.end(), zone)));
            }
        }

        Path path(String personId, UserJourneys journeys, boolean stopped, List<String> assumptions) {
            List<String> all = new ArrayList<>(assumptions);
            if (!traits.isEmpty() && !all.contains(TRAITS_NOT_APPLIED)) {
                all.add(TRAITS_NOT_APPLIED);
            }
            return new Path(personId, events, sends, deferrals, traits, ending(journeys.run(def.id()), stopped), all);
        }

        private static String ending(Optional<JourneyRun> run, boolean stopped) {
            if (run.isEmpty()) {
                return "not entered";
            }
            JourneyRun r = run.get();
            return switch (r.status()) {
                case COMPLETED -> "completed";
                case EXITED -> "exited:" + r.exitReason();
                case ACTIVE -> (stopped ? "stopped at " : "waiting at ") + r.stepId();
            };
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
