package io.beacon.dq.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.dq.DqAlert;
import io.beacon.event.EventCodec;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts of a project as stored: the {@code $dq_alert} events in ClickHouse {@code events} (one per id:
 * {@code LIMIT 1 BY event_id} over the ReplacingMergeTree's copies), newest first. Properties {@code kind},
 * {@code subject}, {@code severity}, {@code window_start}, {@code value}, {@code threshold}, {@code message}; the
 * others are the details.
 */
public final class DqAlerts {
    static final List<String> FIELDS = List.of("kind", "subject", "severity", "window_start", "value", "threshold", "message");
    private final ClickHouse clickhouse;

    public DqAlerts(ClickHouse clickhouse) {
        this.clickhouse = clickhouse;
    }

    public ArrayNode list(String project, long fromMs, long toMs, int limit) {
        StringBuilder sql = new StringBuilder("SELECT event_id, received_at_ms");
        for (String f : FIELDS) {
            sql.append(", properties.value[indexOf(properties.key, '").append(f).append("')] AS ").append(f);
        }
        sql.append(", properties.key AS keys, properties.value AS vals FROM ").append(MigrationCatalog.EVENTS)
                .append(" WHERE project_id = ").append(DqStore.literal(project)).append(" AND event_name = ")
                .append(DqStore.literal(DqAlert.EVENT_NAME)).append(" AND received_at >= ").append(DqStore.time(fromMs))
                .append(" AND received_at < ").append(DqStore.time(toMs))
                .append(" ORDER BY received_at_ms DESC, event_id LIMIT 1 BY event_id LIMIT ").append(limit)
                .append(" FORMAT JSONEachRow");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (String line : clickhouse.queryText(sql.toString()).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode row;
            try {
                row = (ObjectNode) EventCodec.mapper().readTree(line);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable alert row: " + e.getMessage(), e);
            }
            ObjectNode a = out.addObject();
            a.put("id", row.path("event_id").asText());
            a.put("at", Instant.ofEpochMilli(row.path("received_at_ms").asLong()).toString());
            for (String f : FIELDS) {
                a.put(f, row.path(f).asText());
            }
            ObjectNode details = a.putObject("details");
            for (int i = 0; i < row.path("keys").size(); i++) {
                String k = row.path("keys").get(i).asText();
                if (!FIELDS.contains(k)) {
                    details.put(k, row.path("vals").get(i).asText());
                }
            }
        }
        return out;
    }

    /** The event properties of an alert (what {@link #list} reads back). */
    public static Map<String, Object> properties(DqAlert a) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", a.kind());
        p.put("subject", a.subject());
        p.put("severity", a.severity());
        p.put("window_start", Instant.ofEpochMilli(a.windowMs()).toString());
        p.put("value", a.value());
        p.put("threshold", a.threshold());
        p.put("message", a.message());
        a.details().forEach(p::put);
        return p;
    }
}
