package io.beacon.event;

import static io.beacon.event.EventFixtures.RECEIVED_AT;
import static io.beacon.event.EventFixtures.event;
import static io.beacon.event.EventFixtures.mapNative;
import static io.beacon.event.EventFixtures.mapSegment;
import static io.beacon.event.EventFixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    @Test
    void shouldMapNativeEventFromOriginalDesignNotes() {
        Event e = event(mapNative("""
                {"event_name":"pageview","user_id":"user_123","device_id":"device_456","event_time":1717251000000,
                 "platform":"Web","properties":{"page_url":"https://example.com/product/1","referrer":"google.com"}}"""));
        assertEquals("pageview", e.eventName());
        assertEquals(EventType.TRACK, e.type());
        assertEquals("user_123", e.userId());
        assertEquals("device_456", e.anonymousId());
        assertEquals(1717251000000L, e.eventTime());
        assertEquals("web", e.platform());
        assertEquals("https://example.com/product/1", e.pageUrl());
        assertEquals("google.com", e.referrer());
        assertEquals("user_123", e.distinctId());
        assertEquals("p1:user_123", e.partitionKey());
    }

    @Test
    void shouldCorrectClockSkewFromSentAt() {
        // The device clock is 1 hour behind; the event happened 5 s before sending.
        Event e = event(mapSegment("""
                {"type":"track","event":"X","anonymousId":"a","originalTimestamp":"2026-11-25T09:00:00Z","sentAt":"2026-11-25T09:00:05Z"}"""));
        assertEquals(RECEIVED_AT - 5_000, e.eventTime());
    }

    @Test
    void shouldTrustExplicitTimestampAsGiven() {
        Event e = event(mapSegment("""
                {"type":"track","event":"X","userId":"u","timestamp":"2026-11-25T09:00:00+01:00","sentAt":"2026-11-25T12:00:00Z"}"""));
        assertEquals(java.time.Instant.parse("2026-11-25T08:00:00Z").toEpochMilli(), e.eventTime());
    }

    @Test
    void shouldUseReceivedAtWhenClientSentNoTime() {
        assertEquals(RECEIVED_AT, event(mapSegment("{\"type\":\"track\",\"event\":\"X\",\"userId\":\"u\"}")).eventTime());
    }

    @Test
    void shouldRejectTrackWithoutEventName() {
        Rejection r = rejection(mapSegment("{\"type\":\"track\",\"userId\":\"u\"}"));
        assertEquals(RejectionCode.MISSING_EVENT_NAME, r.code());
        assertEquals("event", r.field());
    }

    @Test
    void shouldRejectBlankEventName() {
        assertEquals(RejectionCode.MISSING_EVENT_NAME, rejection(mapSegment("{\"type\":\"track\",\"event\":\"  \",\"userId\":\"u\"}")).code());
    }

    @Test
    void shouldRejectEventWithNeitherUserIdNorAnonymousId() {
        assertEquals(RejectionCode.MISSING_USER_ID, rejection(mapSegment("{\"type\":\"track\",\"event\":\"X\"}")).code());
        assertEquals(RejectionCode.MISSING_USER_ID, rejection(mapNative("{\"event_name\":\"X\"}")).code());
    }

    @Test
    void shouldRejectPropertiesThatAreNotAnObject() {
        Rejection r = rejection(mapSegment("{\"type\":\"track\",\"event\":\"X\",\"userId\":\"u\",\"properties\":\"oops\"}"));
        assertEquals(RejectionCode.INVALID_FIELD_TYPE, r.code());
        assertEquals("properties", r.field());
    }

    @Test
    void shouldRejectUserIdThatIsAnObject() {
        Rejection r = rejection(mapSegment("{\"type\":\"track\",\"event\":\"X\",\"userId\":{\"a\":1}}"));
        assertEquals(RejectionCode.INVALID_FIELD_TYPE, r.code());
        assertEquals("userId", r.field());
    }

    @Test
    void shouldRejectUnparseableTimestamp() {
        Rejection r = rejection(mapSegment("{\"type\":\"track\",\"event\":\"X\",\"userId\":\"u\",\"timestamp\":\"yesterday\"}"));
        assertEquals(RejectionCode.INVALID_TIMESTAMP, r.code());
        assertEquals("timestamp", r.field());
    }

    @Test
    void shouldRejectUnknownCallType() {
        assertEquals(RejectionCode.INVALID_TYPE, rejection(mapSegment("{\"type\":\"purchase\",\"userId\":\"u\"}")).code());
        assertEquals(RejectionCode.INVALID_TYPE, rejection(mapSegment("{\"userId\":\"u\",\"event\":\"X\"}")).code());
    }

    @Test
    void shouldRejectAliasWithoutPreviousIdAndGroupWithoutGroupId() {
        assertEquals(RejectionCode.MISSING_PREVIOUS_ID, rejection(mapSegment("{\"type\":\"alias\",\"userId\":\"u\"}")).code());
        assertEquals(RejectionCode.MISSING_GROUP_ID, rejection(mapSegment("{\"type\":\"group\",\"userId\":\"u\"}")).code());
    }

    @Test
    void shouldRejectOverlongEventName() {
        String name = "x".repeat(EventMapper.MAX_ID_LENGTH + 1);
        assertEquals(RejectionCode.FIELD_TOO_LONG,
                rejection(mapSegment("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + name + "\"}")).code());
    }

    @Test
    void shouldKeepNumericUserIdsAsStrings() {
        assertEquals("42", event(mapSegment("{\"type\":\"track\",\"event\":\"X\",\"userId\":42}")).userId());
    }

    @Test
    void shouldKeepPropertyValuesWithTheirJsonTypes() {
        Event e = event(mapSegment("""
                {"type":"track","event":"X","userId":"u","properties":{"n":1.5,"b":true,"l":["a"],"o":{"k":"v"},"z":null}}"""));
        assertEquals(1.5, e.properties().get("n"));
        assertEquals(true, e.properties().get("b"));
        assertEquals(List.of("a"), e.properties().get("l"));
        assertEquals(Map.of("k", "v"), e.properties().get("o"));
        assertNull(e.properties().get("z"));
    }
}
