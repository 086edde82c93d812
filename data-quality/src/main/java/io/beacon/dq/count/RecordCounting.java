package io.beacon.dq.count;

import io.beacon.dq.DqAlert;
import io.beacon.dq.Stages;
import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import java.util.Optional;
import java.util.Set;

/**
 * What a record of each source topic counts towards (the {@code $dq_alert} events this module writes itself are not
 * counted) (pure; the codecs of the event model). A record that does not
 * decode counts under its stage with event name {@code ""} at the record's own timestamp, so nothing read is left
 * uncounted.
 */
public final class RecordCounting {
    /** Which topic a record was read from. */
    public enum Source {
        RAW, VALID, DLQ, FACTS
    }

    private RecordCounting() {
    }

    /** What a record counts towards, and the {@code received_at} of its event (epoch ms, 0 when unknown). */
    public record Counted(CountKey key, long receivedAtMs) {
    }

    /**
     * {@link #count} with the event's {@code received_at}: the collector measures the stage latency of written events
     * (the valid record's timestamp − {@code received_at}) from it.
     */
    public static Optional<Counted> countTimed(Source source, byte[] value, long recordTimestampMs) {
        if (source == Source.VALID && value != null) {
            Event e;
            try {
                e = EventCodec.decodeProjected(value, Set.of());
            } catch (RuntimeException bad) {
                return Optional.of(new Counted(new CountKey("", Stages.WRITTEN, "", "", CountKey.minuteOf(recordTimestampMs)), 0));
            }
            CountKey k = new CountKey(e.projectId(), Stages.WRITTEN, "", e.eventName() == null ? "" : e.eventName(),
                    CountKey.minuteOf(e.receivedAt()));
            return counted(k) ? Optional.of(new Counted(k, e.receivedAt())) : Optional.empty();
        }
        return count(source, value, recordTimestampMs).map(k -> new Counted(k, 0));
    }

    /**
     * @param recordTimestampMs the Kafka record's timestamp (used only when the value does not say when it was received)
     */
    public static Optional<CountKey> count(Source source, byte[] value, long recordTimestampMs) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (source) {
            case RAW -> Optional.of(raw(value, recordTimestampMs)).filter(RecordCounting::counted);
            case VALID -> Optional.of(valid(value, recordTimestampMs)).filter(RecordCounting::counted);
            case DLQ -> Optional.of(deadLetter(value, recordTimestampMs));
            case FACTS -> fact(value);
        };
    }

    /** The module's own {@code $dq_alert} events are not counted in the figures they report on. */
    private static boolean counted(CountKey k) {
        return !DqAlert.EVENT_NAME.equals(k.eventName());
    }

    private static CountKey raw(byte[] value, long ts) {
        RawEnvelope e;
        try {
            e = EventCodec.decodeEnvelope(value);
        } catch (RuntimeException bad) {
            return new CountKey("", Stages.ACCEPTED, "", "", CountKey.minuteOf(ts));
        }
        return new CountKey(e.projectId(), Stages.ACCEPTED, "", eventName(e), CountKey.minuteOf(e.receivedAt()));
    }

    /** The event name as the topology will map it; {@code ""} when the item will be refused. */
    static String eventName(RawEnvelope e) {
        MappingResult r = EventMapper.map(e);
        return r instanceof MappingResult.Mapped m && m.event().eventName() != null ? m.event().eventName() : "";
    }

    private static CountKey valid(byte[] value, long ts) {
        Event e;
        try {
            e = EventCodec.decodeProjected(value, Set.of());
        } catch (RuntimeException bad) {
            return new CountKey("", Stages.WRITTEN, "", "", CountKey.minuteOf(ts));
        }
        return new CountKey(e.projectId(), Stages.WRITTEN, "", e.eventName() == null ? "" : e.eventName(),
                CountKey.minuteOf(e.receivedAt()));
    }

    private static CountKey deadLetter(byte[] value, long ts) {
        DeadLetter d;
        try {
            d = EventCodec.decodeDeadLetter(value);
        } catch (RuntimeException bad) {
            return new CountKey("", Stages.DEAD_LETTERED, "UNREADABLE", "", CountKey.minuteOf(ts));
        }
        String project = d.projectId() == null ? "" : d.projectId();
        long at = d.failedAt();
        String name = "";
        try {
            // the original is the raw envelope: its received_at puts the dead letter in the minute its event was accepted
            RawEnvelope e = EventCodec.decodeEnvelope(d.original());
            at = e.receivedAt();
            name = eventName(e);
            project = e.projectId();
        } catch (RuntimeException notAnEnvelope) {
            // a record that never parsed: counted at the time it was refused
        }
        return new CountKey(project, Stages.DEAD_LETTERED, d.code().name(), name, CountKey.minuteOf(at));
    }

    private static Optional<CountKey> fact(byte[] value) {
        DqFact f;
        try {
            f = DqFactCodec.decode(value);
        } catch (RuntimeException bad) {
            return Optional.empty(); // not ours to count: a fact that does not decode names no stage
        }
        String stage = f.stage() == DqFact.Stage.DUPLICATE ? Stages.DUPLICATE : Stages.GATEWAY_REJECTED;
        String code = f.stage() == DqFact.Stage.DUPLICATE ? "" : f.code();
        return Optional.of(new CountKey(f.projectId(), stage, code, f.eventName(), CountKey.minuteOf(f.receivedAt())));
    }
}
