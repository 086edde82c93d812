package io.beacon.control.dlq;

import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pure core of a replay: which selected letters go back to the raw topic, under which key, and
 * which are skipped and why. No I/O.
 *
 * <p><b>Replayable</b> are letters whose original bytes are a raw record: those of the stages that read
 * {@code beacon.events.raw} ({@value #STAGE_PARSE}, {@value #STAGE_MAP}, {@value #STAGE_VALIDATE}), and any
 * other stage whose source topic is the raw topic (the topology's exception handlers, e.g.
 * {@code processing:<node>}), except {@value #STAGE_SINK}: the sink's letters hold a canonical event read
 * from {@code beacon.events.valid}, which the topology cannot parse as an envelope.
 *
 * <p><b>Key</b>: {@code project:distinct_id} as the gateway writes it (the envelope decoded with
 * {@link EventCodec} and mapped with {@link EventMapper}), so the replayed record lands in the same
 * partition as that person's other events; when the envelope does not map (the reason it was
 * rejected), its event id; when the bytes are not an envelope, the letter's event id ({@code null}
 * when unknown: any partition).
 */
public final class ReplayPlan {

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_MAP = "map";
    public static final String STAGE_VALIDATE = "validate";
    public static final String STAGE_SINK = "sink";
    private static final Set<String> RAW_STAGES = Set.of(STAGE_PARSE, STAGE_MAP, STAGE_VALIDATE);

    /** One record to produce: the letter's original bytes under {@code key}. */
    public record Replay(DeadLetterRecord source, String key) {
        public byte[] value() {
            return source.letter().original();
        }
    }

    private final List<Replay> replays;
    private final List<ReplayResult.Skipped> skipped;

    private ReplayPlan(List<Replay> replays, List<ReplayResult.Skipped> skipped) {
        this.replays = List.copyOf(replays);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Plans the replay of {@code selected} (letters matching {@code selection}, in DLQ order).
     *
     * @param rawTopic the raw topic's name (letters read from it are replayable)
     */
    public static ReplayPlan of(ReplaySelection selection, List<DeadLetterRecord> selected, String rawTopic) {
        List<Replay> replays = new ArrayList<>();
        List<ReplayResult.Skipped> skipped = new ArrayList<>();
        Set<String> seenEvents = new HashSet<>();
        Set<String> foundIds = new HashSet<>();
        Set<DeadLetterPosition> foundPositions = new HashSet<>();
        for (DeadLetterRecord record : selected) {
            DeadLetter letter = record.letter();
            if (letter.eventId() != null) {
                foundIds.add(letter.eventId());
            }
            foundPositions.add(record.position());
            if (!isReplayable(letter, rawTopic)) {
                skipped.add(skip(record, ReplayResult.NOT_REPLAYABLE_STAGE, "stage '" + letter.stage()
                        + "' did not read a raw envelope" + (STAGE_SINK.equals(letter.stage())
                        ? " (the sink's letters hold a canonical event from the valid topic)" : "")));
            } else if (letter.original().length == 0) {
                skipped.add(skip(record, ReplayResult.NO_ORIGINAL, "the letter holds no original bytes"));
            } else if (letter.eventId() != null && !seenEvents.add(letter.projectId() + "\u0000" + letter.eventId())) {
                skipped.add(skip(record, ReplayResult.DUPLICATE_EVENT,
                        "event " + letter.eventId() + " is replayed from an earlier letter in this call"));
            } else {
                replays.add(new Replay(record, keyFor(letter)));
            }
        }
        for (String id : selection.eventIds()) {
            if (!foundIds.contains(id)) {
                skipped.add(new ReplayResult.Skipped(null, id, null, null, ReplayResult.NOT_FOUND, "no such dead letter"));
            }
        }
        for (DeadLetterPosition position : selection.positions()) {
            if (!foundPositions.contains(position)) {
                skipped.add(new ReplayResult.Skipped(position, null, null, null, ReplayResult.NOT_FOUND, "no such dead letter"));
            }
        }
        return new ReplayPlan(replays, skipped);
    }

    /** Whether {@code letter}'s original bytes are a raw record that the topology can read again. */
    public static boolean isReplayable(DeadLetter letter, String rawTopic) {
        if (STAGE_SINK.equals(letter.stage())) {
            return false;
        }
        return RAW_STAGES.contains(letter.stage()) || rawTopic.equals(letter.sourceTopic());
    }

    /** The raw-topic key for the replayed {@code letter} (see the class comment); may be {@code null}. */
    public static String keyFor(DeadLetter letter) {
        RawEnvelope envelope;
        try {
            envelope = EventCodec.decodeEnvelope(letter.original());
        } catch (RuntimeException notAnEnvelope) {
            return letter.eventId();
        }
        try {
            if (EventMapper.map(envelope) instanceof MappingResult.Mapped mapped) {
                return mapped.event().partitionKey();
            }
        } catch (RuntimeException e) {
            // A mapper failure on odd input is a rejection like any other here.
        }
        return envelope.eventId();
    }

    public List<Replay> replays() {
        return replays;
    }

    public List<ReplayResult.Skipped> skipped() {
        return skipped;
    }

    private static ReplayResult.Skipped skip(DeadLetterRecord record, String reason, String message) {
        DeadLetter letter = record.letter();
        return new ReplayResult.Skipped(record.position(), letter.eventId(), letter.code().name(), letter.stage(), reason, message);
    }
}
