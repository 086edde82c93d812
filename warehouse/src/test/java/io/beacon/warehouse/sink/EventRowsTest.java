package io.beacon.warehouse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.warehouse.EventFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventRowsTest {

    private static final long INSERTED_AT = 1_790_856_010_999L;

    @Test
    void shouldWriteEveryEventFieldUnderItsColumnName() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertEquals("p1", row.get("project_id"));
        assertEquals("e1", row.get("event_id"));
        assertEquals("page", row.get("event_type"));
        assertEquals("$pageview", row.get("event_name"));
        assertEquals("user-42", row.get("user_id"));
        assertEquals("session-9", row.get("session_id"));
        assertEquals("web", row.get("platform"));
        assertEquals("CH", row.get("country"));
        assertEquals("ZH", row.get("region"));
        assertEquals("Zürich", row.get("city"));
        assertEquals("MacBookPro18,3", row.get("device_model"));
        assertEquals("macOS", row.get("os_name"));
        assertEquals("14.5", row.get("os_version"));
        assertEquals("2.3.1", row.get("app_version"));
        assertEquals("https://example.com/pricing?x=1", row.get("page_url"));
        assertEquals("Pricing — Example", row.get("page_title"));
        assertEquals("/pricing", row.get("page_path"));
        assertEquals("https://google.com/", row.get("referrer"));
        assertEquals("203.0.113.7", row.get("ip"));
        assertEquals("Mozilla/5.0 (Macintosh)", row.get("user_agent"));
        assertEquals("analytics.js", row.get("library_name"));
        assertEquals("4.1.0", row.get("library_version"));
        assertEquals("group-1", row.get("group_id"));
        assertEquals("prev-1", row.get("previous_id"));
        assertEquals(List.of("clock_skew_corrected"), row.get("warnings"));
    }

    @Test
    void shouldStoreAnonymousIdAsDeviceIdAndUserIdAsDistinctId() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertEquals("device-7", row.get("device_id"));
        assertEquals("user-42", row.get("distinct_id"));
    }

    @Test
    void shouldUseDeviceIdAsDistinctIdWhenNoUserIdIsKnown() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.minimal("p1", "e1"), INSERTED_AT);

        assertEquals("", row.get("user_id"));
        assertEquals("anon-1", row.get("distinct_id"));
    }

    @Test
    void shouldWriteTimesAsEpochSecondsAndMillisWithTheUtcDate() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertEquals(1_790_856_000L, row.get("event_time"));
        assertEquals(EventFixtures.EVENT_TIME, row.get("event_time_ms"));
        assertEquals("2026-10-01", row.get("event_date"));
        assertEquals(1_790_856_001L, row.get("received_at"));
        assertEquals(EventFixtures.RECEIVED_AT, row.get("received_at_ms"));
        assertEquals(EventFixtures.EVENT_TIME - 500, row.get("client_time_ms"));
        assertEquals(EventFixtures.EVENT_TIME + 200, row.get("sent_at_ms"));
        assertEquals(1_790_856_010L, row.get("inserted_at"));
    }

    @Test
    void shouldTakeTheUtcDateJustBeforeMidnight() {
        // 2026-10-01T23:59:59.999Z
        Event event = withEventTime(EventFixtures.minimal("p", "e"), 1_790_899_199_999L);

        assertEquals("2026-10-01", EventRows.toRow(event, INSERTED_AT).get("event_date"));
    }

    @Test
    void shouldWriteAbsentStringsAsEmptyAndAbsentClientTimesAsZero() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.minimal("p1", "e1"), INSERTED_AT);

        for (String column : List.of("session_id", "platform", "country", "page_url", "ip", "group_id", "previous_id")) {
            assertEquals("", row.get(column), column);
        }
        assertEquals(0L, row.get("client_time_ms"));
        assertEquals(0L, row.get("sent_at_ms"));
        assertEquals(List.of(), row.get("properties.key"));
        assertEquals(List.of(), row.get("traits.value"));
        assertEquals(List.of(), row.get("warnings"));
    }

    @Test
    void shouldStorePropertiesAsParallelKeyValueArraysInEventOrder() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertEquals(List.of("plan", "price", "seats", "trial", "tags", "nested", "nothing", "quote", "unicode"),
                row.get("properties.key"));
        assertEquals(List.of("email", "age"), row.get("traits.key"));
        assertEquals(List.of("ada@example.com", "36"), row.get("traits.value"));
    }

    @Test
    void shouldKeepStringValuesAsTheyAreAndWriteOtherValuesAsJsonText() {
        Map<String, Object> row = EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertEquals(List.of("pro", "12.5", "3", "true", "[\"a\",\"b\"]", "{\"k\":\"v\"}", "null",
                "say \"hi\" \\ back\tslash\nnew line", "Zürich 東京 🚀"), row.get("properties.value"));
    }

    @Test
    void shouldClampAnEventTimeBefore1970AndRecordAWarning() {
        Event event = withEventTime(EventFixtures.minimal("p", "e"), -5_000L);

        Map<String, Object> row = EventRows.toRow(event, INSERTED_AT);

        assertEquals(0L, row.get("event_time"));
        assertEquals(0L, row.get("event_time_ms"));
        assertEquals("1970-01-01", row.get("event_date"));
        assertEquals(List.of(EventRows.EVENT_TIME_CLAMPED), row.get("warnings"));
    }

    @Test
    void shouldClampAnEventTimeBeyondTheDateTimeRange() {
        Event event = withEventTime(EventFixtures.minimal("p", "e"), 9_000_000_000_000L);

        Map<String, Object> row = EventRows.toRow(event, INSERTED_AT);

        assertEquals(EventRows.MAX_DATETIME_SECONDS, row.get("event_time"));
        assertEquals("2106-02-07", row.get("event_date"));
        assertTrue(((List<?>) row.get("warnings")).contains(EventRows.EVENT_TIME_CLAMPED));
    }

    @Test
    void shouldWriteOneJsonLineWithEscapedControlCharacters() throws Exception {
        String json = EventRows.toJson(EventFixtures.full("p1", "e1"), INSERTED_AT);

        assertFalse(json.contains("\n"), json);
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals("say \"hi\" \\ back\tslash\nnew line", parsed.get("properties.value").get(7).asText());
        assertEquals(EventRows.toRow(EventFixtures.full("p1", "e1"), INSERTED_AT).keySet(),
                iterableToSet(parsed.fieldNames()));
    }

    @Test
    void streamedJsonLineIsExactlyTheJsonOfTheRowMap() throws Exception {
        ObjectMapper mapper = io.beacon.event.EventCodec.mapper();
        List<Event> events = List.of(EventFixtures.full("p1", "e1"), EventFixtures.minimal("p", "e"),
                withEventTime(EventFixtures.full("p1", "e2"), -5_000L), withEventTime(EventFixtures.minimal("p", "e3"), 9_000_000_000_000L));
        for (Event event : events) {
            assertEquals(mapper.writeValueAsString(EventRows.toRow(event, INSERTED_AT)), EventRows.toJson(event, INSERTED_AT), event.eventId());
        }
    }

    @Test
    void shouldNameTheEventTypeByItsWireName() {
        Event identify = new Event("e", "p", EventType.IDENTIFY, "$identify", "u", null, null, 0, 0, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);

        assertEquals("identify", EventRows.toRow(identify, INSERTED_AT).get("event_type"));
    }

    private static java.util.Set<String> iterableToSet(java.util.Iterator<String> names) {
        java.util.Set<String> set = new java.util.LinkedHashSet<>();
        names.forEachRemaining(set::add);
        return set;
    }

    private static Event withEventTime(Event e, long eventTime) {
        return new Event(e.eventId(), e.projectId(), e.type(), e.eventName(), e.userId(), e.anonymousId(), e.sessionId(),
                eventTime, e.receivedAt(), e.clientTime(), e.sentAt(), e.platform(), e.country(), e.region(), e.city(),
                e.deviceModel(), e.osName(), e.osVersion(), e.appVersion(), e.pageUrl(), e.pageTitle(), e.pagePath(),
                e.referrer(), e.ip(), e.userAgent(), e.libraryName(), e.libraryVersion(), e.groupId(), e.previousId(),
                e.properties(), e.traits(), e.warnings(), e.personId());
    }
}
