package io.beacon.warehouse.sink;

import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link TopicNames#CDP_DELIVERIES} value (decoded by the event model's {@link CdpCodec}, the codec the
 * outbox workers encode with) to a row of {@code deliveries}: pure, no I/O. A value that is not a valid attempt,
 * or has an empty id, an attempt below 1, or a negative time, status or latency, throws (and becomes a dead letter).
 */
public final class DeliveryRows {
    private static final long MAX_DATETIME_MS = EventRows.MAX_DATETIME_SECONDS * 1000 + 999;
    private static final int MAX_STATUS = 999;

    private DeliveryRows() {
    }

    /**
     * The row of one attempt: every column present (18.16 applies no defaults to omitted JSONEachRow fields),
     * absent strings as {@code ""}, the response body truncated again (a producer that did not is not trusted).
     *
     * @throws IllegalArgumentException when {@code value} is not a valid attempt
     */
    public static Map<String, Object> row(byte[] value, long insertedAtMillis) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        DeliveryAttempt a = CdpCodec.decodeAttempt(value);
        if (a.projectId().isEmpty() || a.destinationId().isEmpty() || a.messageId().isEmpty()) {
            throw new IllegalArgumentException("project_id, destination_id and message_id must be non-empty strings");
        }
        if (a.attempt() < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        if (a.atMs() < 0 || a.latencyMs() < 0) {
            throw new IllegalArgumentException("at_ms and latency_ms must be non-negative integers");
        }
        if (a.status() < 0 || a.status() > MAX_STATUS) {
            throw new IllegalArgumentException("status must be 0 (no response) or an HTTP status");
        }
        long at = Math.min(MAX_DATETIME_MS, a.atMs());
        Map<String, Object> row = new LinkedHashMap<>(16);
        row.put("project_id", a.projectId());
        row.put("destination_id", a.destinationId());
        row.put("message_id", a.messageId());
        row.put("attempt", a.attempt());
        row.put("person_id", orEmpty(a.personId()));
        row.put("type", orEmpty(a.type()));
        row.put("at", at / 1000);
        row.put("at_ms", at);
        row.put("status", a.status());
        row.put("outcome", a.outcome().wireName());
        row.put("latency_ms", a.latencyMs());
        row.put("error", orEmpty(a.error()));
        row.put("response_body", orEmpty(CdpCodec.truncate(a.responseBody())));
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
