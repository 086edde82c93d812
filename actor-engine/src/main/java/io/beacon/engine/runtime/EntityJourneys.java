package io.beacon.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyService.PublishedVersion;
import io.beacon.engine.journeys.JourneyInput;
import io.beacon.engine.journeys.JourneyInterpreter;
import io.beacon.engine.journeys.JourneyRun;
import io.beacon.engine.journeys.JourneySend;
import io.beacon.engine.state.UserState;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.JourneyEventCodec;
import io.beacon.event.ScoreChange;
import io.beacon.event.SegmentChange;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user entity's side of journeys: turns what happened to the user (an event, its segment changes, its score
 * crossings, a timer) into {@link JourneyInterpreter} calls on the user's state, applies what they decide to the state
 * (journey runs, trait updates) and collects the sends, as {@link CdpCodec} outbox messages, and the journey events, as
 * {@link JourneyEventCodec} text, for the consumer to write in the transaction of the state. Before any call, the step
 * mappings published since a run's step was entered move that run ({@link JourneyInterpreter#applyMapping}).
 * One instance per entity command; not thread-safe.
 */
final class EntityJourneys {
    /** The user trait naming the IANA zone in which local times of day and quiet hours are read. */
    static final String ZONE_TRAIT = "timezone";

    private final UserState state;
    private final ProjectJourneys journeys;
    private final long nowMs;
    private final List<String> sends = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean mapped;

    EntityJourneys(UserState state, ProjectJourneys journeys, long nowMs) {
        this.state = state;
        this.journeys = journeys;
        this.nowMs = nowMs;
    }

    /** Whether this user has anything to do with journeys: the project has some, or the user still has runs. */
    static boolean concerns(UserState state, ProjectJourneys journeys) {
        return !journeys.isEmpty() || !state.journeys().runs().isEmpty();
    }

    /** The inputs of one applied event: the event itself, then the segment changes and score crossings it caused. */
    void onEvent(Event e, List<SegmentChange> segmentChanges) {
        JsonNode properties = EventCodec.mapper().valueToTree(e.properties() == null ? Map.of() : e.properties());
        call(new JourneyInput.Event(e.eventName(), properties, e.eventId()));
        onSegmentChanges(segmentChanges);
    }

    void onSegmentChanges(List<SegmentChange> changes) {
        for (SegmentChange c : changes) {
            call(JourneyStateReplay.segmentInput(c));
        }
    }

    void onScoreChanges(List<ScoreChange> changes) {
        for (ScoreChange c : changes) {
            call(new JourneyInput.ScoreCrossed(c.score(), c.value(), c.previousValue(), c.threshold(),
                    c.direction() == ScoreChange.Direction.UP ? "up" : "down", c.eventId()));
        }
    }

    /** The runs whose wake time has come (delays, wait timeouts, deferred sends). */
    void onTimer() {
        if (state.journeys().earliestWakeAtMs() > nowMs && !mappingsPending()) {
            return;
        }
        applyMappings();
        absorb(JourneyInterpreter.onTimer(state.journeys(), journeys.versions(), journeys.caps(), new UserStateView(state),
                nowMs, zone()));
    }

    /** The outbox messages decided, as {@link CdpCodec} JSON text, in order. */
    List<String> sends() {
        return sends;
    }

    /** The journey events decided, as {@link JourneyEventCodec} text, in order. */
    List<String> events() {
        return events;
    }

    /** When journeys need this user again without an event ({@link Long#MAX_VALUE}: never). */
    long nextWakeAtMs() {
        return state.journeys().earliestWakeAtMs();
    }

    private void call(JourneyInput input) {
        applyMappings();
        absorb(JourneyInterpreter.onEvent(state.journeys(), input, journeys.versions(), journeys.caps(), new UserStateView(state),
                nowMs, zone()));
    }

    private void absorb(JourneyInterpreter.Outcome o) {
        state.setJourneys(o.journeys());
        o.traitUpdates().forEach((k, v) -> state.setTraitAt(k, v, nowMs));
        for (JourneySend s : o.sends()) {
            sends.add(CdpCodec.toJson(outboxMessage(s, state.traits())).toString());
        }
        o.events().forEach(ev -> events.add(JourneyEventCodec.encode(ev)));
    }

    /**
     * The outbox message of a send: its id is derived from the step's idempotency key and the destination. It carries
     * the step's rendered fields and the user's traits at the send (the adapters' {@code traits.*} variables: a push
     * destination's token, a CRM's field mapping).
     */
    static OutboxMessage outboxMessage(JourneySend s, Map<String, JsonNode> traits) {
        ObjectNode data = EventCodec.mapper().createObjectNode();
        data.put("person_id", s.personId());
        ObjectNode j = data.putObject("journey");
        j.put("id", s.journeyId());
        j.put("version", s.journeyVersion());
        j.put("entry", s.entry());
        j.put("step", s.stepId());
        data.put("channel", s.channel());
        ObjectNode fields = data.putObject("fields");
        s.fields().forEach(fields::put);
        if (!traits.isEmpty()) {
            ObjectNode t = data.putObject("traits");
            traits.forEach(t::set);
        }
        data.put("idempotency_key", s.messageKey());
        if (s.eventId() == null) {
            data.putNull("event_id");
        } else {
            data.put("event_id", s.eventId());
        }
        return new OutboxMessage(s.projectId(), s.destinationId(), s.personId(),
                IdempotencyKeys.of("journey", s.destinationId(), s.projectId(), s.messageKey()), MessageTypes.JOURNEY_SEND,
                s.atMs(), data);
    }

    private boolean mappingsPending() {
        if (journeys.publications().isEmpty()) {
            return false;
        }
        for (JourneyRun r : state.journeys().activeRuns()) {
            if (mappingFor(r).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Moves runs at mapped steps, version after version (a run moved to v2 may be mapped on to v3). */
    private void applyMappings() {
        if (mapped || journeys.publications().isEmpty()) {
            return;
        }
        mapped = true;
        for (int hops = 0; hops < 16; hops++) {
            boolean moved = false;
            for (JourneyRun r : state.journeys().activeRuns()) {
                Optional<PublishedVersion> p = mappingFor(r);
                if (p.isEmpty()) {
                    continue;
                }
                Optional<JourneyDefinition> from = journeys.versions().version(r.journeyId(), r.journeyVersion());
                if (from.isEmpty()) {
                    continue;
                }
                JourneyInterpreter.Outcome o = JourneyInterpreter.applyMapping(state.journeys(), from.get(), p.get().definition(),
                        p.get().mapping(), state.projectId(), state.personId(), nowMs);
                if (!o.events().isEmpty()) {
                    absorb(o);
                    moved = true;
                }
            }
            if (!moved) {
                return;
            }
        }
    }

    /** The publication that maps {@code r}'s step away from its version, if one was published after the run got there. */
    private Optional<PublishedVersion> mappingFor(JourneyRun r) {
        for (PublishedVersion p : journeys.publications().getOrDefault(r.journeyId(), List.of())) {
            if (p.fromVersion() == r.journeyVersion() && p.mapping().containsKey(r.stepId())
                    && r.stepEnteredAtMs() <= p.publishedAtMs()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The user's zone: the {@value #ZONE_TRAIT} trait when it names a zone, else UTC. */
    private ZoneId zone() {
        JsonNode tz = state.traits().get(ZONE_TRAIT);
        if (tz != null && tz.isTextual()) {
            try {
                return ZoneId.of(tz.asText());
            } catch (DateTimeException notAZone) {
                return ZoneOffset.UTC;
            }
        }
        return ZoneOffset.UTC;
    }
}
