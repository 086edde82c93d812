package io.beacon.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.function.Consumer;

/**
 * Reads a project's event history from ClickHouse for {@code ./beacon ml dataset|train}: per person (the
 * ingest-time {@code person_id}, the key the engine keeps its user state under; {@code distinct_id} for rows stored
 * before it existed), ordered by event time, deduplicated ({@code FINAL}), up to a time. Only the columns the
 * engine's user state folds in are read: id, type, name, times, session, the revenue property and the traits.
 * The SQL is plain enough for ClickHouse 18.16 and 26.x (no {@code DateTime64}, no JOIN, {@code toDate('…')}
 * literals). Large histories are read in parts by {@code cityHash64(person) % parts}, so no single answer holds
 * more than about {@value #ROWS_PER_PART} rows.
 */
final class MlEventReader {
    static final int ROWS_PER_PART = 500_000;
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final String PERSON = "if(person_id = '', distinct_id, person_id)";

    private final ClickHouse clickHouse;
    private final int rowsPerPart;

    MlEventReader(ClickHouse clickHouse) {
        this(clickHouse, ROWS_PER_PART);
    }

    /** A reader that splits the history into parts of about {@code rowsPerPart} events. */
    MlEventReader(ClickHouse clickHouse, int rowsPerPart) {
        this.clickHouse = clickHouse;
        this.rowsPerPart = rowsPerPart;
    }

    /**
     * Every person's events of {@code projectId} with {@code event_time_ms <= untilMs}, sorted by event time, handed
     * to {@code sink} in parts (persons never span parts); {@code progress} hears about each part.
     *
     * @return how many events were read
     */
    long read(String projectId, String revenueProperty, long untilMs, Consumer<Map<String, List<Event>>> sink,
              Consumer<String> progress) {
        long total = clickHouse.queryLong(countSql(projectId, untilMs));
        int parts = (int) Math.max(1, (total + rowsPerPart - 1) / rowsPerPart);
        progress.accept("events: " + total + " of project " + projectId + " up to " + Instant.ofEpochMilli(untilMs)
                + (parts > 1 ? ", read in " + parts + " parts" : ""));
        long read = 0;
        for (int part = 0; part < parts; part++) {
            String text = clickHouse.queryText(selectSql(projectId, revenueProperty, untilMs, part, parts));
            Map<String, List<Event>> byPerson = parse(text, projectId, revenueProperty);
            for (List<Event> events : byPerson.values()) {
                read += events.size();
            }
            sink.accept(byPerson);
        }
        return read;
    }

    static String countSql(String projectId, long untilMs) {
        return "SELECT count() FROM events FINAL WHERE " + where(projectId, untilMs);
    }

    /** The query of one part ({@code parts == 1}: everything), JSONEachRow, sorted by person, time and id. */
    static String selectSql(String projectId, String revenueProperty, long untilMs, int part, int parts) {
        String rev = literal(revenueProperty);
        return "SELECT " + PERSON + " AS person, event_id, event_type, event_name, event_time_ms, received_at_ms, session_id,"
                + " indexOf(properties.key, " + rev + ") > 0 AS has_revenue,"
                + " properties.value[indexOf(properties.key, " + rev + ")] AS revenue,"
                + " traits.key AS trait_keys, traits.value AS trait_values"
                + " FROM events FINAL WHERE " + where(projectId, untilMs)
                + (parts > 1 ? " AND cityHash64(" + PERSON + ") % " + parts + " = " + part : "")
                + " ORDER BY person, event_time_ms, event_id"
                + " FORMAT JSONEachRow";
    }

    private static String where(String projectId, long untilMs) {
        String day = Instant.ofEpochMilli(untilMs).atZone(ZoneOffset.UTC).toLocalDate().toString();
        return "project_id = " + literal(projectId) + " AND event_date <= toDate('" + day + "') AND event_time_ms <= " + untilMs;
    }

    /** A ClickHouse string literal: single quotes, backslash and quote escaped. */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The JSONEachRow answer as person → events (in the answer's order, which is event-time order). */
    static Map<String, List<Event>> parse(String jsonEachRow, String projectId, String revenueProperty) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        int start = 0;
        while (start < jsonEachRow.length()) {
            int end = jsonEachRow.indexOf('\n', start);
            if (end < 0) {
                end = jsonEachRow.length();
            }
            String line = jsonEachRow.substring(start, end).trim();
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("ClickHouse answered a line that is not JSON: " + preview(line), e);
            }
            Event e = event(row, projectId, revenueProperty);
            out.computeIfAbsent(e.personId(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /**
     * One row as the engine would have seen the event, as far as its state reads it: properties hold only the
     * revenue property (text, which the state parses like a number), traits their stored text, except JSON objects
     * and arrays ({@code $set_once}) and {@code null}, which are decoded.
     */
    static Event event(JsonNode row, String projectId, String revenueProperty) {
        String type = row.path("event_type").asText();
        EventType eventType = EventType.fromWire(type)
                .orElseThrow(() -> new IllegalStateException("unknown event_type '" + type + "' in the events table"));
        Map<String, Object> properties = new LinkedHashMap<>();
        if (row.path("has_revenue").asInt() == 1) {
            properties.put(revenueProperty, row.path("revenue").asText());
        }
        Map<String, Object> traits = new LinkedHashMap<>();
        JsonNode keys = row.path("trait_keys");
        JsonNode values = row.path("trait_values");
        for (int i = 0; i < keys.size(); i++) {
            traits.put(keys.get(i).asText(), traitValue(values.path(i).asText()));
        }
        String session = row.path("session_id").asText();
        long eventTime = row.path("event_time_ms").asLong();
        return new Event(row.path("event_id").asText(), projectId, eventType, row.path("event_name").asText(), null, null,
                session.isEmpty() ? null : session, eventTime, row.path("received_at_ms").asLong(), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                properties, traits, null, row.path("person").asText());
    }

    private static Object traitValue(String text) {
        if (text.equals("null")) {
            return null;
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return JSON.readValue(text, Object.class);
            } catch (JsonProcessingException notJson) {
                return text;
            }
        }
        return text;
    }

    private static String preview(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
