package io.beacon.warehouse.sink.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RejectionCode;
import java.io.IOException;

/** Builds the dead letter for a record of the valid topic that the sink cannot store. */
public final class DeadLetters {

    /** The stage name the sink writes into {@link DeadLetter#stage()}. */
    public static final String STAGE = "sink";

    private DeadLetters() {
    }

    /**
     * A dead letter for {@code value} read at {@code topic}/{@code partition}/{@code offset}: code
     * {@link RejectionCode#MALFORMED_JSON} when the bytes are not JSON, otherwise
     * {@link RejectionCode#UNPARSEABLE_RECORD}; project and event id filled in when they can be read.
     */
    public static DeadLetter undecodable(byte[] value, String reason, String topic, int partition, long offset, long nowMillis) {
        byte[] original = value == null ? new byte[0] : value;
        RejectionCode code = RejectionCode.UNPARSEABLE_RECORD;
        String projectId = null;
        String eventId = null;
        String message = value == null ? "record has no value" : "not a valid event: " + reason;
        if (value != null) {
            try {
                JsonNode tree = EventCodec.mapper().readTree(value);
                if (tree != null && tree.isObject()) {
                    projectId = textOrNull(tree.get("project_id"));
                    eventId = textOrNull(tree.get("event_id"));
                }
            } catch (JsonProcessingException e) {
                code = RejectionCode.MALFORMED_JSON;
                message = "not JSON: " + e.getOriginalMessage();
            } catch (IOException e) {
                code = RejectionCode.MALFORMED_JSON;
                message = "not JSON: " + e.getMessage();
            }
        }
        return new DeadLetter(code, message, null, STAGE, projectId, eventId, topic, partition, offset, nowMillis, original);
    }

    /** The DLQ record key: the event id when known, else the record's coordinates. */
    public static String key(DeadLetter letter) {
        return letter.eventId() != null
                ? letter.eventId()
                : letter.sourceTopic() + "/" + letter.partition() + "/" + letter.offset();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
