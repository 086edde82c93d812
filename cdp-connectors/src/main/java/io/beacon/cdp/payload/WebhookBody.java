package io.beacon.cdp.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Standard Webhooks body of an outbox message: {@code {"type":…,"timestamp":…,"data":{…}}}, compact JSON,
 * {@code timestamp} the ISO-8601 UTC time of the cause ({@link OutboxMessage#createdAtMs()}, always with
 * milliseconds). It depends on the message alone, so every attempt sends, and signs, the same bytes, and a
 * receiver deduplicating by {@code webhook-id} sees the same body each time.
 */
public final class WebhookBody {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WebhookBody() {
    }

    /** The body as JSON bytes (UTF-8). */
    public static byte[] of(OutboxMessage message) {
        try {
            return MAPPER.writeValueAsBytes(json(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object node always serializes", e);
        }
    }

    /** The body as a tree (for adapters that wrap it). */
    public static ObjectNode json(OutboxMessage message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", message.type());
        o.put("timestamp", timestamp(message.createdAtMs()));
        o.set("data", message.data());
        return o;
    }

    /** ISO-8601 UTC with milliseconds: {@code 2021-02-25T14:22:10.000Z}. */
    public static String timestamp(long epochMs) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMs));
    }
}
