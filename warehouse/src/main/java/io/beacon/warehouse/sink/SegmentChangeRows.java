package io.beacon.warehouse.sink;

import io.beacon.event.SegmentChange;
import io.beacon.event.SegmentChangeCodec;
import io.beacon.event.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link TopicNames#SEGMENT_CHANGES} value (decoded by the event model's {@link SegmentChangeCodec},
 * the codec the engine encodes with) to a row of {@code segment_changes}: pure, no I/O. A value that is not a
 * valid change, or has an empty id or a negative time or version, throws (and becomes a dead letter).
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
        SegmentChange c = SegmentChangeCodec.decode(value);
        for (String id : new String[] {c.projectId(), c.personId(), c.segmentId()}) {
            if (id.isEmpty()) {
                throw new IllegalArgumentException("project_id, person_id and segment_id must be non-empty strings");
            }
        }
        if (c.atMs() < 0 || c.segmentVersion() < 0) {
            throw new IllegalArgumentException("at_ms and segment_version must be non-negative integers");
        }
        long at = Math.min(MAX_DATETIME_MS, c.atMs());
        Map<String, Object> row = new LinkedHashMap<>(12);
        row.put("project_id", c.projectId());
        row.put("segment_id", c.segmentId());
        row.put("person_id", c.personId());
        row.put("change", c.kind() == SegmentChange.Kind.ENTERED ? 1 : -1);
        row.put("at", at / 1000);
        row.put("at_ms", at);
        row.put("cause", c.cause().wireName());
        row.put("segment_version", c.segmentVersion());
        row.put("event_id", c.eventId() == null ? "" : c.eventId());
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }
}
