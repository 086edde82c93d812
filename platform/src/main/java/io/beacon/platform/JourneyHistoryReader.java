package io.beacon.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's events between two instants from ClickHouse, for journey dry runs ({@link JourneySimulateRoutes}): per
 * person (the ingest-time {@code person_id}, else {@code distinct_id}, as {@link MlEventReader} keys them), in event
 * time order, deduplicated ({@code FINAL}), with their properties and traits. Stored values are text; a value that
 * reads as a JSON number, boolean, object, array or {@code null} is taken as that JSON value, anything else as a
 * string. The SQL runs on ClickHouse 18.16 and 26.x: no {@code DateTime64}, no JOIN, {@code toDate('…')} literals.
 * Callers bound what they read with {@link #count} first.
 */
final class JourneyHistoryReader implements JourneyHistory {
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String PERSON = "if(person_id = '', distinct_id, person_id)";

    private final ClickHouse clickHouse;

    JourneyHistoryReader(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    @Override
    public long count(String projectId, String personId, long fromMs, long toMs) {
        return clickHouse.queryLong(countSql(projectId, personId, fromMs, toMs));
    }

    @Override
    public Map<String, List<Event>> read(String projectId, String personId, long fromMs, long toMs) {
        return parse(clickHouse.queryText(selectSql(projectId, personId, fromMs, toMs)), projectId);
    }

    static String countSql(String projectId, String personId, long fromMs, long toMs) {
        return "SELECT count() FROM events FINAL WHERE " + where(projectId, personId, fromMs, toMs);
    }

    /** JSONEachRow, sorted by person, time and id; {@code personId} {@code null}: every person. */
    static String selectSql(String projectId, String personId, long fromMs, long toMs) {
        return "SELECT " + PERSON + " AS person, event_id, event_type, event_name, event_time_ms, received_at_ms, session_id,"
                + " properties.key AS property_keys, properties.value AS property_values,"
                + " traits.key AS trait_keys, traits.value AS trait_values"
                + " FROM events FINAL WHERE " + where(projectId, personId, fromMs, toMs)
                + " ORDER BY person, event_time_ms, event_id"
                + " FORMAT JSONEachRow";
    }

    private static String where(String projectId, String personId, long fromMs, long toMs) {
        String w = "project_id = " + MlEventReader.literal(projectId)
                + " AND event_date >= toDate('" + day(fromMs) + "') AND event_date <= toDate('" + day(toMs) + "')"
                + " AND event_time_ms >= " + fromMs + " AND event_time_ms <= " + toMs;
        if (personId != null) {
            String p = MlEventReader.literal(personId);
            w += " AND (person_id = " + p + " OR (person_id = '' AND distinct_id = " + p + "))";
        }
        return w;
    }

    private static String day(long ms) {
        long clamped = Math.max(0, Math.min(ms, 4_102_444_799_000L)); // DateTime's days: 1970 … 2099
        return Instant.ofEpochMilli(clamped).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The JSONEachRow answer as person → events (in the answer's order, which is event-time order). */
    static Map<String, List<Event>> parse(String jsonEachRow, String projectId) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        for (String line : jsonEachRow.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("ClickHouse answered a line that is not JSON: "
                        + (line.length() <= 200 ? line : line.substring(0, 200) + "…"), e);
            }
            Event e = event(row, projectId);
            out.computeIfAbsent(e.personId(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /** One row as an event: ids, type, name, times, session, properties and traits. */
    static Event event(JsonNode row, String projectId) {
        String type = row.path("event_type").asText();
        EventType eventType = EventType.fromWire(type)
                .orElseThrow(() -> new IllegalStateException("unknown event_type '" + type + "' in the events table"));
        String session = row.path("session_id").asText();
        return new Event(row.path("event_id").asText(), projectId, eventType, row.path("event_name").asText(), null, null,
                session.isEmpty() ? null : session, row.path("event_time_ms").asLong(), row.path("received_at_ms").asLong(), null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                pairs(row.path("property_keys"), row.path("property_values")), pairs(row.path("trait_keys"), row.path("trait_values")),
                null, row.path("person").asText());
    }

    private static Map<String, Object> pairs(JsonNode keys, JsonNode values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i).asText(), value(values.path(i).asText()));
        }
        return out;
    }

    /** A stored value: the JSON value its text spells, else the text. */
    static Object value(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        boolean jsonish = c == '{' || c == '[' || c == '-' || Character.isDigit(c) || text.equals("true") || text.equals("false")
                || text.equals("null");
        if (!jsonish) {
            return text;
        }
        try {
            JsonNode n = STRICT.readTree(text);
            if (n == null || n.isTextual()) {
                return text;
            }
            return n.isNull() ? null : JSON.treeToValue(n, Object.class);
        } catch (JsonProcessingException notJson) {
            return text;
        }
    }
}
