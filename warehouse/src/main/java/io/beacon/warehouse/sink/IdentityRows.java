package io.beacon.warehouse.sink;

import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the topology's session and identity records to rows of {@code sessions}, {@code persons} and
 * {@code person_distinct_ids} (DDL in {@link io.beacon.warehouse.schema.MigrationCatalog}): pure, no I/O.
 * As for events, every column is present (18.16 applies no defaults to omitted JSONEachRow fields),
 * absent strings as {@code ""}, times as epoch seconds plus an {@code _ms} column.
 */
public final class IdentityRows {
    private static final long MAX_DATETIME_MS = EventRows.MAX_DATETIME_SECONDS * 1000 + 999;

    private IdentityRows() {
    }

    /**
     * The session's row, followed by one {@code is_deleted = 1} row per session merged into it (pointing at
     * it through {@code merged_into}, at its version, so {@code FINAL} shows them as deleted).
     */
    public static List<Map<String, Object>> sessionRows(SessionSummary s, long insertedAtMillis) {
        List<Map<String, Object>> rows = new ArrayList<>(1 + s.mergedSessionIds().size());
        rows.add(sessionRow(s, s.sessionId(), "", 0, insertedAtMillis));
        for (String merged : s.mergedSessionIds()) {
            rows.add(sessionRow(s, merged, s.sessionId(), 1, insertedAtMillis));
        }
        return rows;
    }

    private static Map<String, Object> sessionRow(SessionSummary s, String id, String mergedInto, int deleted, long insertedAt) {
        long start = clamp(s.startTime());
        long end = clamp(s.endTime());
        Map<String, Object> row = new LinkedHashMap<>(32);
        row.put("project_id", s.projectId());
        row.put("session_id", id);
        row.put("person_id", text(s.personId()));
        row.put("device_key", text(s.deviceKey()));
        row.put("client_defined", s.clientDefined() ? 1 : 0);
        row.put("start_time", start / 1000);
        row.put("start_time_ms", start);
        row.put("end_time", end / 1000);
        row.put("end_time_ms", end);
        row.put("duration_ms", Math.max(0, end - start));
        row.put("event_count", s.eventCount());
        row.put("pageview_count", s.pageviewCount());
        row.put("entry_url", text(s.entryUrl()));
        row.put("exit_url", text(s.exitUrl()));
        row.put("referrer", text(s.referrer()));
        row.put("utm_source", text(s.utmSource()));
        row.put("utm_medium", text(s.utmMedium()));
        row.put("utm_campaign", text(s.utmCampaign()));
        row.put("utm_term", text(s.utmTerm()));
        row.put("utm_content", text(s.utmContent()));
        row.put("platform", text(s.platform()));
        row.put("merged_into", mergedInto);
        row.put("is_deleted", deleted);
        row.put("version", s.version());
        row.put("inserted_at", insertedAt / 1000);
        return row;
    }

    /** The {@code persons} row of one property. */
    public static Map<String, Object> personRow(PersonProperty p, long insertedAtMillis) {
        long t = clamp(p.eventTime());
        Map<String, Object> row = new LinkedHashMap<>(12);
        row.put("project_id", p.projectId());
        row.put("person_id", p.personId());
        row.put("key", p.key());
        row.put("value", text(p.value()));
        row.put("set_once", p.setOnce() ? 1 : 0);
        row.put("event_time", t / 1000);
        row.put("event_time_ms", t);
        row.put("event_id", text(p.eventId()));
        row.put("version", p.version());
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }

    /** The {@code person_distinct_ids} row of one link. */
    public static Map<String, Object> distinctIdRow(PersonDistinctId link, long insertedAtMillis) {
        Map<String, Object> row = new LinkedHashMap<>(8);
        row.put("project_id", link.projectId());
        row.put("distinct_id", link.distinctId());
        row.put("person_id", link.personId());
        row.put("event_id", text(link.eventId()));
        row.put("version", Math.max(0, link.version()));
        row.put("inserted_at", insertedAtMillis / 1000);
        return row;
    }

    private static long clamp(long ms) {
        return Math.max(0, Math.min(MAX_DATETIME_MS, ms));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
