package io.beacon.analytics.timeline;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The SQL of the user timeline (pure, ClickHouse 18.16-compatible). Every user string (id, cursor event id,
 * session ids read back) reaches SQL only as an escaped literal. Custom properties come back hex-encoded
 * ({@code hex(key)} joined by commas) so that no value can break the text result format.
 */
public final class TimelineSql {
    private TimelineSql() {
    }

    /**
     * {@code person}: the person {@code id} resolves to (its latest link in {@code person_distinct_ids}, else
     * itself — {@link MigrationCatalog#resolvedPerson}, as the views do); {@code links}: link rows naming it.
     */
    public static String resolve(String projectId, String id) {
        String p = SqlLiterals.string(projectId);
        String i = SqlLiterals.string(id);
        return "SELECT " + MigrationCatalog.resolvedPerson(i) + " AS person,\n"
                + "  (SELECT count() FROM person_distinct_ids WHERE project_id = " + p + " AND (distinct_id = " + i + " OR person_id = " + i
                + ")) AS links\nFROM (SELECT " + p + " AS project_id)";
    }

    private static String mine(String projectId, String person) {
        return "project_id = " + SqlLiterals.string(projectId) + " AND " + EventSource.PERSON + " = " + SqlLiterals.string(person);
    }

    /** One page: the person's events after the cursor in {@code (event_time_ms, event_id)} order, {@code limit + 1} rows. */
    public static String page(String projectId, String person, TimelineQuery q) {
        StringBuilder where = new StringBuilder(mine(projectId, person));
        if (q.from() != null) {
            where.append(" AND event_date >= ").append(SqlLiterals.utcDate(q.from())).append(" AND event_time >= ").append(SqlLiterals.dateTime(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND event_date <= ").append(SqlLiterals.utcDate(q.to())).append(" AND event_time < ").append(SqlLiterals.dateTime(q.to()));
        }
        if (q.cursor() != null) {
            long t = q.cursor().timeMs();
            where.append(" AND (event_time_ms > ").append(t).append(" OR (event_time_ms = ").append(t).append(" AND event_id > ")
                    .append(SqlLiterals.string(q.cursor().eventId())).append("))");
        }
        return "SELECT event_id, event_name, event_type, event_time_ms, distinct_id, session_id, page_url, page_path, country,\n"
                + "  arrayStringConcat(arrayMap(x -> hex(x), properties.key), ',') AS keys_hex,\n"
                + "  arrayStringConcat(arrayMap(x -> hex(x), properties.value), ',') AS values_hex\n"
                + "FROM events FINAL\nWHERE " + where + "\nORDER BY event_time_ms, event_id\nLIMIT " + (q.limit() + 1);
    }

    /** {@code n}: 1 when any stored event resolves to {@code person}, else 0. */
    public static String exists(String projectId, String person) {
        return "SELECT count() AS n FROM (SELECT event_id FROM events WHERE " + mine(projectId, person) + " LIMIT 1)";
    }

    /**
     * Per session id: the first and last event time and the number of the person's events in it, over the
     * person's whole history (not only the page or the from/to range).
     */
    public static String sessions(String projectId, String person, List<String> sessionIds) {
        List<String> literals = sessionIds.stream().map(SqlLiterals::string).toList();
        return "SELECT session_id, min(event_time_ms) AS start_ms, max(event_time_ms) AS end_ms, count() AS events\n"
                + "FROM events FINAL\nWHERE " + mine(projectId, person) + " AND session_id IN (" + String.join(", ", literals) + ")\n"
                + "GROUP BY session_id";
    }

    private static final DateTimeFormatter ISO_MS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** {@code 2026-03-10T00:00:00.000Z}: always with seconds and milliseconds. */
    static String iso(long ms) {
        return ISO_MS.format(Instant.ofEpochMilli(ms));
    }
}
