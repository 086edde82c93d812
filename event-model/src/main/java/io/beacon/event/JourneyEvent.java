package io.beacon.event;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened to one run of a journey: the value of topic {@value TopicNames#JOURNEY_EVENTS} (key
 * {@code project:person}, JSON by {@link JourneyEventCodec}), written by the actor engine in the same Kafka
 * transaction as the user's state, and copied by the warehouse sink into ClickHouse {@code journey_events}, where the
 * journey statistics (entered, at each step now, converted, exited by reason, sent, capped, suppressed) are counted.
 *
 * @param journeyVersion the published version the run is on (&ge; 1)
 * @param entry          the run's number among this person's entries into the journey (&ge; 1)
 * @param seq            the event's number within its run (0 for {@link Kind#ENTERED}, then 1, 2, … in the order the
 *                       engine decided them): orders the events of one engine call, which share {@code atMs}, and
 *                       identifies the event in {@code journey_events}
 * @param stepId         the step concerned; {@code null} for {@link Kind#ENTERED} before a step and {@link Kind#CONVERTED}
 * @param reason         why, for {@link Kind#EXITED} (e.g. {@code exit_criteria}, {@code archived}, {@code step}),
 *                       {@link Kind#ERROR} and {@link Kind#MOVED} (the target version and step); otherwise {@code null}
 * @param channel        the send step's channel for {@link Kind#SENT}, {@link Kind#CAPPED}, {@link Kind#SUPPRESSED}; otherwise {@code null}
 * @param messageKey     the idempotency key of the outbox message for {@link Kind#SENT}; otherwise {@code null}
 * @param atMs           when the engine decided it (its clock, epoch ms)
 * @param eventId        the event that caused it, {@code null} when a timer did
 */
public record JourneyEvent(String projectId, String personId, String journeyId, int journeyVersion, long entry,
                           long seq, Kind kind, String stepId, String reason, String channel, String messageKey, long atMs,
                           String eventId) {

    /** What happened; the wire name is the lower-case constant name. */
    public enum Kind {
        /** The person entered the journey (a new run). */
        ENTERED,
        /** The run arrived at a step (every step it passes, including the waiting ones). */
        STEP_ENTERED,
        /** A send step put a message on the connectors' outbox. */
        SENT,
        /** A send step did not send: the person's frequency cap of the channel for the local day was reached. */
        CAPPED,
        /** A send step did not send: quiet hours in the person's time zone, and the journey skips such sends. */
        SUPPRESSED,
        /** The journey's goal event arrived within its window (once per run). */
        CONVERTED,
        /** The run ended early (exit criteria, an exit step, the journey archived). */
        EXITED,
        /** The run reached the end of its path. */
        COMPLETED,
        /** A publisher's step mapping moved the run to another version and step. */
        MOVED,
        /** The run could not go on (e.g. its version is gone); it ended. */
        ERROR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> fromWire(String text) {
            for (Kind k : values()) {
                if (k.wireName().equals(text)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public JourneyEvent {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(journeyId, "journeyId");
        Objects.requireNonNull(kind, "kind");
        if (journeyVersion < 1) {
            throw new IllegalArgumentException("journeyVersion must be at least 1: " + journeyVersion);
        }
        if (entry < 1) {
            throw new IllegalArgumentException("entry must be at least 1: " + entry);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
    }

    /** The topic key, {@code project:person}. */
    public String userKey() {
        return projectId + ":" + personId;
    }
}
