package io.beacon.streams.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.TopicNames;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes over {@link EventCodec}, the one JSON wire format for our records. Null passes through as null. */
public final class JsonSerdes {
    private JsonSerdes() {
    }

    public static Serde<Event> event() {
        return Serdes.serdeFrom(
                (topic, event) -> event == null ? null : EventCodec.encode(event),
                (topic, bytes) -> bytes == null ? null : EventCodec.decodeEvent(bytes));
    }

    public static Serde<DeadLetter> deadLetter() {
        return Serdes.serdeFrom(
                (topic, letter) -> letter == null ? null : EventCodec.encode(letter),
                (topic, bytes) -> bytes == null ? null : EventCodec.decodeDeadLetter(bytes));
    }

    /** Any record as {@link EventCodec} JSON (state store values, repartition records). */
    public static <T> Serde<T> json(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : EventCodec.encode(value),
                (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes, type));
    }

    /**
     * The outputs of the identify-and-sessionize stage as their topic's JSON; a session tombstone as
     * {@code null}. Reading back (not done inside the topology, but symmetric for tools and tests)
     * picks the type from the topic the record came from.
     */
    public static Serde<io.beacon.streams.sessions.internal.StageOutput> stageOutput() {
        return Serdes.serdeFrom((topic, out) -> encode(out), JsonSerdes::decodeStageOutput);
    }

    private static io.beacon.streams.sessions.internal.StageOutput decodeStageOutput(String topic, byte[] bytes) {
        if (bytes == null) {
            return new io.beacon.streams.sessions.internal.StageOutput.Tombstone();
        }
        if (topic.endsWith(TopicNames.SESSIONS)) {
            return new io.beacon.streams.sessions.internal.StageOutput.Summary(EventCodec.decode(bytes, io.beacon.event.SessionSummary.class));
        }
        if (topic.endsWith(TopicNames.PERSON_DISTINCT_IDS)) {
            return new io.beacon.streams.sessions.internal.StageOutput.Link(EventCodec.decode(bytes, io.beacon.event.PersonDistinctId.class));
        }
        if (topic.endsWith(TopicNames.PERSONS)) {
            return new io.beacon.streams.sessions.internal.StageOutput.Property(EventCodec.decode(bytes, io.beacon.event.PersonProperty.class));
        }
        return new io.beacon.streams.sessions.internal.StageOutput.Resolved(EventCodec.decodeEvent(bytes));
    }

    private static byte[] encode(io.beacon.streams.sessions.internal.StageOutput out) {
        if (out instanceof io.beacon.streams.sessions.internal.StageOutput.Resolved r) {
            return EventCodec.encode(r.event());
        }
        if (out instanceof io.beacon.streams.sessions.internal.StageOutput.Summary s) {
            return EventCodec.encode(s.summary());
        }
        if (out instanceof io.beacon.streams.sessions.internal.StageOutput.Link l) {
            return EventCodec.encode(l.link());
        }
        if (out instanceof io.beacon.streams.sessions.internal.StageOutput.Property p) {
            return EventCodec.encode(p.property());
        }
        return null; // null, or a session tombstone
    }

    /** {@link DiscoveryCodec} JSON, the format of the discovery topic and stores. */
    public static Serde<DiscoveredItem> discoveredItem() {
        return Serdes.serdeFrom(
                (topic, item) -> item == null ? null : DiscoveryCodec.encode(item),
                (topic, bytes) -> bytes == null ? null : DiscoveryCodec.decode(bytes));
    }
}
