package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one codec of {@value TopicNames#SCORE_CHANGES} values (the engine encodes; connectors and journeys decode):
 * {@code {"id","project_id","person_id","score":"churn_risk","value":0.81,"previous_value":0.64|null,
 * "model_version","threshold":0.7,"direction":"up|down","at":"2026-11-25T10:00:00.123Z","at_ms",
 * "cause":"event|time","event_id":"…"|null}}.
 */
public final class ScoreChangeCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScoreChangeCodec() {
    }

    public static ObjectNode toJson(ScoreChange c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", c.id());
        o.put("project_id", c.projectId());
        o.put("person_id", c.personId());
        o.put("score", c.score());
        o.put("value", c.value());
        if (c.previousValue() == null) {
            o.putNull("previous_value");
        } else {
            o.put("previous_value", c.previousValue().doubleValue());
        }
        o.put("model_version", c.modelVersion());
        o.put("threshold", c.threshold());
        o.put("direction", c.direction().wireName());
        o.put("at", Instant.ofEpochMilli(c.atMs()).toString());
        o.put("at_ms", c.atMs());
        o.put("cause", c.cause().wireName());
        if (c.eventId() == null) {
            o.putNull("event_id");
        } else {
            o.put("event_id", c.eventId());
        }
        return o;
    }

    /** The JSON text. */
    public static String encode(ScoreChange c) {
        return toJson(c).toString();
    }

    /** The JSON as UTF-8 bytes (the Kafka record value). */
    public static byte[] encodeBytes(ScoreChange c) {
        return encode(c).getBytes(StandardCharsets.UTF_8);
    }

    public static ScoreChange decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not a valid score change
     */
    public static ScoreChange decode(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a score change is a JSON object");
        }
        ScoreChange.Direction direction = switch (RecordFields.text(n, "direction")) {
            case "up" -> ScoreChange.Direction.UP;
            case "down" -> ScoreChange.Direction.DOWN;
            default -> throw new IllegalArgumentException("direction must be up or down");
        };
        ScoreChange.Cause cause = switch (RecordFields.text(n, "cause")) {
            case "event" -> ScoreChange.Cause.EVENT;
            case "time" -> ScoreChange.Cause.TIME;
            default -> throw new IllegalArgumentException("cause must be event or time");
        };
        JsonNode prev = n.get("previous_value");
        JsonNode ev = n.get("event_id");
        return new ScoreChange(RecordFields.text(n, "id"), RecordFields.text(n, "project_id"), RecordFields.text(n, "person_id"), RecordFields.text(n, "score"),
                number(n, "value"), prev == null || prev.isNull() ? null : number(n, "previous_value"),
                RecordFields.text(n, "model_version"), number(n, "threshold"), direction, RecordFields.integer(n, "at_ms"), cause,
                ev == null || ev.isNull() ? null : ev.asText());
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return v.asDouble();
    }
}
