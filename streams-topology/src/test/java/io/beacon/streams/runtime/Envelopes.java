package io.beacon.streams.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.WireFormat;

/** Fixture factory for raw records as the gateway writes them. */
public final class Envelopes {
    public static final long RECEIVED_AT = 1_764_000_000_000L; // 2025-11-24T16:00:00Z

    private Envelopes() {
    }

    /** A Segment track call by {@code userId}, received at {@code receivedAt}. */
    public static RawEnvelope track(String projectId, String eventId, String userId, String eventName, long receivedAt) {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("type", "track")
                .put("userId", userId)
                .put("messageId", eventId);
        if (eventName != null) {
            payload.put("event", eventName);
        }
        payload.putObject("properties").put("plan", "pro").put("amount", 42);
        payload.putObject("context").putObject("library").put("name", "analytics-node").put("version", "6.2.0");
        return new RawEnvelope(projectId, eventId, receivedAt, "203.0.113.7", "test-agent/1.0", WireFormat.SEGMENT, payload);
    }

    /** A Segment track call with exactly {@code properties} (values as JSON: strings, numbers, booleans, lists). */
    public static RawEnvelope track(String projectId, String eventId, String userId, String eventName,
                                    java.util.Map<String, ?> properties) {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("type", "track")
                .put("userId", userId)
                .put("messageId", eventId)
                .put("event", eventName);
        payload.set("properties", EventCodec.mapper().valueToTree(properties));
        payload.putObject("context").putObject("library").put("name", "analytics-node").put("version", "6.2.0");
        return new RawEnvelope(projectId, eventId, RECEIVED_AT, "203.0.113.7", "test-agent/1.0", WireFormat.SEGMENT, payload);
    }

    /** A Segment identify call with {@code traits}. */
    public static RawEnvelope identify(String projectId, String eventId, String userId, java.util.Map<String, ?> traits) {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("type", "identify")
                .put("userId", userId)
                .put("messageId", eventId);
        payload.set("traits", EventCodec.mapper().valueToTree(traits));
        return new RawEnvelope(projectId, eventId, RECEIVED_AT, "203.0.113.7", "test-agent/1.0", WireFormat.SEGMENT, payload);
    }

    public static RawEnvelope track(String projectId, String eventId, String userId) {
        return track(projectId, eventId, userId, "Order Completed", RECEIVED_AT);
    }

    /** The raw-topic key: {@code project:distinct_id}. */
    public static String key(RawEnvelope envelope) {
        return envelope.projectId() + ":" + envelope.payload().get("userId").asText();
    }

    public static byte[] bytes(RawEnvelope envelope) {
        return EventCodec.encode(envelope);
    }
}
