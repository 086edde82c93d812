package io.beacon.warehouse.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.warehouse.widening.PromotedValues;
import io.beacon.warehouse.widening.Promotion;
import io.beacon.warehouse.widening.PromotionSnapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an {@link Event} to a row of the {@code events} table (DDL in
 * {@link io.beacon.warehouse.schema.MigrationCatalog}): pure, no I/O.
 *
 * <ul>
 *   <li>Every column is present, absent strings as {@code ""} and absent client times as 0, because
 *       ClickHouse 18.16 does not apply {@code DEFAULT} expressions to fields a JSONEachRow row omits.</li>
 *   <li>{@code anonymousId} is stored as {@code device_id} (Beacon's original column name).</li>
 *   <li>Times: {@code event_time}/{@code received_at} as epoch seconds, {@code *_ms} as epoch milliseconds,
 *       {@code event_date} as the UTC date of {@code event_time}. An event time outside what
 *       {@code DateTime} holds (1970 to 2106) is clamped into that range and the row gets the warning
 *       {@value #EVENT_TIME_CLAMPED}, so ClickHouse never refuses the batch for it.</li>
 *   <li>{@code properties}/{@code traits} become the parallel arrays of a {@code Nested(key, value)}
 *       column, in the event's order: strings as they are, any other JSON value as its JSON text.</li>
 *   <li>Promoted columns ({@code p_…}, see {@code io.beacon.warehouse.widening}) come last, every column
 *       the {@link PromotionSnapshot} knows: the coerced value when the event's project promoted that
 *       property and the event has it, {@code null} (SQL NULL; {@code []} for lists) otherwise. The
 *       property stays in the {@code properties} pair as well.</li>
 * </ul>
 */
public final class EventRows {

    /** Warning added to a row whose event time had to be clamped into the {@code DateTime} range. */
    public static final String EVENT_TIME_CLAMPED = "event_time_out_of_range";

    /** The largest value of a ClickHouse {@code DateTime}: 2106-02-07 06:28:15 UTC. */
    static final long MAX_DATETIME_SECONDS = 4_294_967_295L;

    private static final ObjectMapper JSON = EventCodec.mapper();

    private EventRows() {
    }

    /**
     * The row as column name to value (String, Long, or List of String), in table column order.
     *
     * @param insertedAtMillis when the sink writes the row (its {@code inserted_at})
     */
    public static Map<String, Object> toRow(Event event, long insertedAtMillis) {
        return toRow(event, insertedAtMillis, PromotionSnapshot.EMPTY);
    }

    /**
     * The row with the promoted columns of {@code promotions} after the base columns.
     *
     * @param insertedAtMillis when the sink writes the row (its {@code inserted_at})
     * @param promotions       the columns that exist and which of them the event's project fills
     */
    public static Map<String, Object> toRow(Event event, long insertedAtMillis, PromotionSnapshot promotions) {
        long eventTimeMs = clamp(event.eventTime(), 0, MAX_DATETIME_SECONDS * 1000 + 999);
        List<String> warnings = event.warnings();
        if (eventTimeMs != event.eventTime()) {
            warnings = new ArrayList<>(warnings);
            warnings.add(EVENT_TIME_CLAMPED);
        }
        long eventSeconds = Math.floorDiv(eventTimeMs, 1000L);
        long receivedMs = clamp(event.receivedAt(), 0, MAX_DATETIME_SECONDS * 1000 + 999);

        Map<String, Object> row = new LinkedHashMap<>(48);
        row.put("project_id", event.projectId());
        row.put("event_id", event.eventId());
        row.put("event_type", event.type().wireName());
        row.put("event_name", event.eventName());
        row.put("event_time", eventSeconds);
        row.put("event_time_ms", eventTimeMs);
        row.put("event_date", LocalDate.ofEpochDay(Math.floorDiv(eventSeconds, 86_400L)).toString());
        row.put("user_id", text(event.userId()));
        row.put("device_id", text(event.anonymousId()));
        row.put("distinct_id", text(event.distinctId()));
        row.put("session_id", text(event.sessionId()));
        row.put("person_id", text(event.personId()));
        row.put("platform", text(event.platform()));
        row.put("country", text(event.country()));
        row.put("region", text(event.region()));
        row.put("city", text(event.city()));
        row.put("device_model", text(event.deviceModel()));
        row.put("os_name", text(event.osName()));
        row.put("os_version", text(event.osVersion()));
        row.put("app_version", text(event.appVersion()));
        row.put("page_url", text(event.pageUrl()));
        row.put("page_title", text(event.pageTitle()));
        row.put("page_path", text(event.pagePath()));
        row.put("referrer", text(event.referrer()));
        row.put("ip", text(event.ip()));
        row.put("user_agent", text(event.userAgent()));
        row.put("library_name", text(event.libraryName()));
        row.put("library_version", text(event.libraryVersion()));
        row.put("group_id", text(event.groupId()));
        row.put("previous_id", text(event.previousId()));
        row.put("received_at", Math.floorDiv(receivedMs, 1000L));
        row.put("received_at_ms", receivedMs);
        row.put("client_time_ms", millisOrZero(event.clientTime()));
        row.put("sent_at_ms", millisOrZero(event.sentAt()));
        putNested(row, "properties", event.properties());
        putNested(row, "traits", event.traits());
        row.put("warnings", List.copyOf(warnings));
        row.put("inserted_at", Math.floorDiv(insertedAtMillis, 1000L));
        putPromoted(row, event, promotions);
        return row;
    }

    /** The row as one JSONEachRow line (no trailing newline). */
    public static String toJson(Event event, long insertedAtMillis) {
        return toJson(event, insertedAtMillis, PromotionSnapshot.EMPTY);
    }

    /**
     * The row with promoted columns as one JSONEachRow line (no trailing newline): exactly the JSON of
     * {@link #toRow}, written field by field with a streaming generator instead of through a map (the
     * sink's profiled hot spot).
     */
    public static String toJson(Event event, long insertedAtMillis, PromotionSnapshot promotions) {
        long eventTimeMs = clamp(event.eventTime(), 0, MAX_DATETIME_SECONDS * 1000 + 999);
        long eventSeconds = Math.floorDiv(eventTimeMs, 1000L);
        long receivedMs = clamp(event.receivedAt(), 0, MAX_DATETIME_SECONDS * 1000 + 999);
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("project_id", event.projectId());
            g.writeStringField("event_id", event.eventId());
            g.writeStringField("event_type", event.type().wireName());
            g.writeStringField("event_name", event.eventName());
            g.writeNumberField("event_time", eventSeconds);
            g.writeNumberField("event_time_ms", eventTimeMs);
            g.writeStringField("event_date", LocalDate.ofEpochDay(Math.floorDiv(eventSeconds, 86_400L)).toString());
            g.writeStringField("user_id", text(event.userId()));
            g.writeStringField("device_id", text(event.anonymousId()));
            g.writeStringField("distinct_id", text(event.distinctId()));
            g.writeStringField("session_id", text(event.sessionId()));
            g.writeStringField("person_id", text(event.personId()));
            g.writeStringField("platform", text(event.platform()));
            g.writeStringField("country", text(event.country()));
            g.writeStringField("region", text(event.region()));
            g.writeStringField("city", text(event.city()));
            g.writeStringField("device_model", text(event.deviceModel()));
            g.writeStringField("os_name", text(event.osName()));
            g.writeStringField("os_version", text(event.osVersion()));
            g.writeStringField("app_version", text(event.appVersion()));
            g.writeStringField("page_url", text(event.pageUrl()));
            g.writeStringField("page_title", text(event.pageTitle()));
            g.writeStringField("page_path", text(event.pagePath()));
            g.writeStringField("referrer", text(event.referrer()));
            g.writeStringField("ip", text(event.ip()));
            g.writeStringField("user_agent", text(event.userAgent()));
            g.writeStringField("library_name", text(event.libraryName()));
            g.writeStringField("library_version", text(event.libraryVersion()));
            g.writeStringField("group_id", text(event.groupId()));
            g.writeStringField("previous_id", text(event.previousId()));
            g.writeNumberField("received_at", Math.floorDiv(receivedMs, 1000L));
            g.writeNumberField("received_at_ms", receivedMs);
            g.writeNumberField("client_time_ms", millisOrZero(event.clientTime()));
            g.writeNumberField("sent_at_ms", millisOrZero(event.sentAt()));
            writeNested(g, "properties", event.properties());
            writeNested(g, "traits", event.traits());
            g.writeArrayFieldStart("warnings");
            for (String warning : event.warnings()) {
                g.writeString(warning);
            }
            if (eventTimeMs != event.eventTime()) {
                g.writeString(EVENT_TIME_CLAMPED);
            }
            g.writeEndArray();
            g.writeNumberField("inserted_at", Math.floorDiv(insertedAtMillis, 1000L));
            if (!promotions.columns().isEmpty()) {
                Map<String, Object> promoted = new LinkedHashMap<>();
                putPromoted(promoted, event, promotions);
                for (Map.Entry<String, Object> column : promoted.entrySet()) {
                    g.writeFieldName(column.getKey());
                    g.writeObject(column.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            // The row holds only strings, numbers and lists of strings.
            throw new IllegalStateException("cannot write row of event " + event.eventId(), e);
        }
        return out.toString();
    }

    private static void writeNested(JsonGenerator g, String column, Map<String, Object> values) throws IOException {
        g.writeArrayFieldStart(column + ".key");
        for (String key : values.keySet()) {
            g.writeString(key);
        }
        g.writeEndArray();
        g.writeArrayFieldStart(column + ".value");
        for (Object value : values.values()) {
            g.writeString(valueText(value));
        }
        g.writeEndArray();
    }

    /** A property or trait value as stored: a string as is, anything else as JSON text ({@code null} too). */
    public static String valueText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static void putPromoted(Map<String, Object> row, Event event, PromotionSnapshot promotions) {
        if (promotions.columns().isEmpty()) {
            return;
        }
        for (PromotionSnapshot.Column column : promotions.columns().values()) {
            row.put(column.name(), PromotedValues.absent(column.type()));
        }
        Map<String, Object> properties = event.properties();
        for (Promotion promotion : promotions.promotionsOf(event.projectId()).values()) {
            if (properties.containsKey(promotion.property())) {
                row.put(promotion.column(), PromotedValues.columnValue(promotion.type(), properties.get(promotion.property())));
            }
        }
    }

    private static void putNested(Map<String, Object> row, String column, Map<String, Object> values) {
        List<String> keys = new ArrayList<>(values.size());
        List<String> texts = new ArrayList<>(values.size());
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            keys.add(entry.getKey());
            texts.add(valueText(entry.getValue()));
        }
        row.put(column + ".key", keys);
        row.put(column + ".value", texts);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static long millisOrZero(Long millis) {
        return millis == null ? 0L : clamp(millis, 0, Long.MAX_VALUE);
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
