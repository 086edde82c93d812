package io.beacon.warehouse.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@code beacon.segment.changes} value (the actor engine's JSON:
 * {@code {"project_id","person_id","segment_id","segment_version","change":"entered|exited","at","at_ms",
 * "cause":"event|time","event_id"}}) to a row of {@code segment_changes}: pure, no I/O. The warehouse
 * does not depend on the engine, so the format is read here field by field; a value that is not a valid
 * change throws (and becomes a dead letter).
 */
public final class SegmentChangeRows {
    private static final long MAX_DATETIME_MS = EventRows.MAX_DATETIME_SECONDS * 1000 + 999;

    private SegmentChangeRows() {
    }

    /**
     * The row of one change: every column present (18.16 applies no defaults to omitted JSONEachRow
     * fields), {@code change} +1 entered / −1 exited, {@code event_id} {@code ""} for time-caused changes.
     *
     * @throws IllegalArgumentException when {@code value} is not a valid change
     */
    public static Map<String, Object> row(byte[] value, long insertedAtMillis) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        JsonNode n;
        try {
            n = EventCodec.mapper().readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("segment change is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a segment change is a JSON object");
        }
        int change = switch (text(n, "change")) {
            case "entered" -> 1;
            case "exited" -> -1;
            default -> throw new IllegalArgumentException("change must be 'entered' or 'exited'");
        };
        String cause = text(n, "cause");
        if (!cause.equals("event") && !cause.equals("time")) {
            throw new IllegalArgumentException("cause must be 'event' or 'time'");
        }
        long at = Math.min(MAX_DATETIME_MS, nonNegative(n, "at_ms"));
        JsonNode eventId = n.get("event_id");
        Map<String, Object> row = new LinkedHashMap<>(12);
        row.put("project_id", text(n, "project_id"));
        row.put("segment_id", text(n, "segment_id"));
        row.put("person_id", text(n, "person_id"));
        row.put("change", change);
        row.put("at", at / 1000);
        row.put("at_ms", at);
        row.put("cause", cause);
        row.put("segment_version", nonNegative(n, "segment_version"));
        row.put("event_id", eventId == null || eventId.isNull() ? "" : eventId.asText());
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static long nonNegative(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(field + " must be a non-negative integer");
        }
        return v.asLong();
    }
}
