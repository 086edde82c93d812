package io.beacon.control.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import java.nio.charset.StandardCharsets;

/** Dead letters as the topology and the sink write them, with real raw envelopes as originals. */
final class DeadLetterFixtures {

    static final long RECEIVED_AT = 1_790_856_000_000L;
    static final long FAILED_AT = RECEIVED_AT + 500;

    private DeadLetterFixtures() {
    }

    /** A Segment track call of {@code userId} with {@code amount}, as the gateway writes it. */
    static RawEnvelope track(String projectId, String eventId, String userId, Object amount) {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("type", "track")
                .put("userId", userId)
                .put("messageId", eventId)
                .put("event", "Order Completed");
        payload.putObject("properties").putPOJO("amount", amount);
        return new RawEnvelope(projectId, eventId, RECEIVED_AT, "203.0.113.7", "test-agent/1.0", WireFormat.SEGMENT, payload);
    }

    /** A Segment track call without user or anonymous id (the mapper refuses it). */
    static RawEnvelope anonymousless(String projectId, String eventId) {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("type", "track")
                .put("messageId", eventId)
                .put("event", "Order Completed");
        return new RawEnvelope(projectId, eventId, RECEIVED_AT, null, null, WireFormat.SEGMENT, payload);
    }

    /** A letter of the validate stage for {@code envelope} read from {@code rawTopic}. */
    static DeadLetter refused(RawEnvelope envelope, RejectionCode code, String stage, String rawTopic, long sourceOffset) {
        return new DeadLetter(code, code.name().toLowerCase() + " on amount", "amount", stage, envelope.projectId(),
                envelope.eventId(), rawTopic, 0, sourceOffset, FAILED_AT, EventCodec.encode(envelope));
    }

    /** A letter of the sink: the original is a canonical event from the valid topic. */
    static DeadLetter sinkLetter(String projectId, String eventId, String validTopic) {
        byte[] original = ("{\"event_id\":\"" + eventId + "\",\"project_id\":\"" + projectId + "\",\"broken\":")
                .getBytes(StandardCharsets.UTF_8);
        return new DeadLetter(RejectionCode.MALFORMED_JSON, "not JSON", null, "sink", projectId, eventId,
                validTopic, 0, 7, FAILED_AT, original);
    }

    /** A letter of the parse stage whose original is not JSON at all. */
    static DeadLetter garbage(String projectId, String rawTopic, byte[] bytes) {
        return new DeadLetter(RejectionCode.MALFORMED_JSON, "not JSON", null, "parse", projectId, null,
                rawTopic, 0, 3, FAILED_AT, bytes);
    }
}
