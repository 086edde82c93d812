package io.beacon.warehouse.sink;

import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import io.beacon.event.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link TopicNames#JOURNEY_EVENTS} value (decoded by the event model's {@link JourneyEventCodec}, the codec
 * the engine encodes with) to a row of {@code journey_events}: pure, no I/O. A value that is not a valid journey
 * event, or has an empty id or a negative time, throws (and becomes a dead letter).
 */
public final class JourneyEventRows {
    private static final long MAX_DATETIME_MS = EventRows.MAX_DATETIME_SECONDS * 1000 + 999;

    private JourneyEventRows() {
    }

    /**
     * The row of one journey event: every column present (18.16 applies no defaults to omitted JSONEachRow fields),
     * absent strings {@code ""}.
     *
     * @throws IllegalArgumentException when {@code value} is not a valid journey event
     */
    public static Map<String, Object> row(byte[] value, long insertedAtMillis) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        JourneyEvent e = JourneyEventCodec.decode(value);
        for (String id : new String[] {e.projectId(), e.personId(), e.journeyId()}) {
            if (id.isEmpty()) {
                throw new IllegalArgumentException("project_id, person_id and journey_id must be non-empty strings");
            }
        }
        if (e.atMs() < 0) {
            throw new IllegalArgumentException("at_ms must be a non-negative integer");
        }
        long at = Math.min(MAX_DATETIME_MS, e.atMs());
        Map<String, Object> row = new LinkedHashMap<>(16);
        row.put("project_id", e.projectId());
        row.put("journey_id", e.journeyId());
        row.put("journey_version", e.journeyVersion());
        row.put("person_id", e.personId());
        row.put("entry", e.entry());
        row.put("seq", e.seq());
        row.put("kind", e.kind().wireName());
        row.put("step_id", orEmpty(e.stepId()));
        row.put("reason", orEmpty(e.reason()));
        row.put("channel", orEmpty(e.channel()));
        row.put("message_key", orEmpty(e.messageKey()));
        row.put("at", at / 1000);
        row.put("at_ms", at);
        row.put("event_id", orEmpty(e.eventId()));
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
