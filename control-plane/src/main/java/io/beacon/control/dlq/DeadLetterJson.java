package io.beacon.control.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.util.Base64;

/**
 * The JSON of listings and replay results, shared by the API ({@link DeadLetterRoutes}) and the
 * {@code beacon dlq} CLI so both print the same thing. Field names are documented on
 * {@link DeadLetterRoutes}.
 */
public final class DeadLetterJson {

    private DeadLetterJson() {
    }

    /** {@code {"total","by_code","scanned","truncated","records":[…]}}. */
    public static ObjectNode page(DeadLetterPage page) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("total", page.total());
        ObjectNode byCode = o.putObject("by_code");
        page.byCode().forEach(byCode::put);
        o.put("scanned", page.scanned());
        o.put("truncated", page.truncated());
        ArrayNode records = o.putArray("records");
        page.records().forEach(r -> records.add(record(r)));
        return o;
    }

    /**
     * One record: position, code, message, field, stage, event id, failed_at, source coordinates and
     * {@code original} (JSON when the bytes parse, {@code "original_encoding":"json"}; else Base64).
     */
    public static ObjectNode record(DeadLetterRecord record) {
        DeadLetter l = record.letter();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("partition", record.position().partition());
        o.put("offset", record.position().offset());
        o.put("code", l.code().name());
        o.put("message", l.message());
        o.put("field", l.field());
        o.put("stage", l.stage());
        o.put("event_id", l.eventId());
        o.put("failed_at", l.failedAt());
        o.put("source_topic", l.sourceTopic());
        o.put("source_partition", l.partition());
        o.put("source_offset", l.offset());
        JsonNode original = asJson(l.original());
        if (original != null) {
            o.set("original", original);
            o.put("original_encoding", "json");
        } else {
            o.put("original", Base64.getEncoder().encodeToString(l.original()));
            o.put("original_encoding", "base64");
        }
        return o;
    }

    private static JsonNode asJson(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return EventCodec.mapper().readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code {"replayed","replayed_offsets":[…],"skipped":[…]}}. */
    public static ObjectNode result(ReplayResult result) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("replayed", result.replayedCount());
        ArrayNode replayed = o.putArray("replayed_offsets");
        result.replayed().forEach(p -> replayed.addObject().put("partition", p.partition()).put("offset", p.offset()));
        ArrayNode skipped = o.putArray("skipped");
        for (ReplayResult.Skipped s : result.skipped()) {
            ObjectNode so = skipped.addObject();
            if (s.position() != null) {
                so.put("partition", s.position().partition());
                so.put("offset", s.position().offset());
            }
            so.put("event_id", s.eventId());
            so.put("code", s.code());
            so.put("stage", s.stage());
            so.put("reason", s.reason());
            so.put("message", s.message());
        }
        return o;
    }
}
