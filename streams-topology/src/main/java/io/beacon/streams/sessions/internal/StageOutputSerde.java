package io.beacon.streams.sessions.internal;

import io.beacon.event.EventCodec;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;
import io.beacon.event.TopicNames;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The serde of {@link StageOutput}: each output as its topic's {@link EventCodec} JSON. */
public final class StageOutputSerde {
    private StageOutputSerde() {
    }

    /**
     * The outputs of the identify-and-sessionize stage as their topic's JSON; a session tombstone as
     * {@code null}. Reading back (not done inside the topology, but symmetric for tools and tests)
     * picks the type from the topic the record came from.
     */
    public static Serde<StageOutput> serde() {
        return Serdes.serdeFrom((topic, out) -> encode(out), StageOutputSerde::decode);
    }

    private static StageOutput decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return new StageOutput.Tombstone();
        }
        if (topic.endsWith(TopicNames.SESSIONS)) {
            return new StageOutput.Summary(EventCodec.decode(bytes, SessionSummary.class));
        }
        if (topic.endsWith(TopicNames.PERSON_DISTINCT_IDS)) {
            return new StageOutput.Link(EventCodec.decode(bytes, PersonDistinctId.class));
        }
        if (topic.endsWith(TopicNames.PERSONS)) {
            return new StageOutput.Property(EventCodec.decode(bytes, PersonProperty.class));
        }
        return new StageOutput.Resolved(EventCodec.decodeEvent(bytes));
    }

    private static byte[] encode(StageOutput out) {
        if (out instanceof StageOutput.Resolved r) {
            return EventCodec.encode(r.event());
        }
        if (out instanceof StageOutput.Summary s) {
            return EventCodec.encode(s.summary());
        }
        if (out instanceof StageOutput.Link l) {
            return EventCodec.encode(l.link());
        }
        if (out instanceof StageOutput.Property p) {
            return EventCodec.encode(p.property());
        }
        return null; // null, or a session tombstone
    }
}
