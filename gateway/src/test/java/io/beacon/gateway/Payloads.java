package io.beacon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Request bodies for tests: valid defaults that each test changes in the one way it is about. */
final class Payloads {
    private Payloads() {
    }

    static ObjectNode object() {
        return EventCodec.mapper().createObjectNode();
    }

    /** A Segment track call body as analytics-node sends it to /v1/track. */
    static ObjectNode track() {
        ObjectNode body = object().put("userId", "user-42").put("event", "Order Completed").put("messageId", "msg-track-1");
        body.putObject("properties").put("revenue", 29.5).put("currency", "EUR");
        return body;
    }

    /** A Segment batch item of the given type, valid for that type. */
    static ObjectNode item(String type, String messageId) {
        ObjectNode item = object().put("type", type).put("userId", "user-42").put("messageId", messageId);
        switch (type) {
            case "track" -> item.put("event", "Item Viewed");
            case "group" -> item.put("groupId", "acme");
            case "alias" -> item.put("previousId", "anon-1");
            default -> { }
        }
        return item;
    }

    /** {@code {"batch":[items…]}}. */
    static ObjectNode batch(JsonNode... items) {
        ObjectNode body = object();
        ArrayNode batch = body.putArray("batch");
        for (JsonNode item : items) {
            batch.add(item);
        }
        return body;
    }

    /** A native-format event (Beacon's own field names). */
    static ObjectNode nativeTrack() {
        ObjectNode body = object().put("event_name", "checkout").put("user_id", "user-7").put("device_id", "dev-1")
                .put("event_time", 1_764_064_800_000L).put("event_id", "evt-native-1");
        body.putObject("properties").put("cart_size", 3);
        return body;
    }

    /** A test resource, e.g. {@code segment/analytics-node-batch.json}. */
    static JsonNode resource(String name) {
        try (InputStream in = Payloads.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
