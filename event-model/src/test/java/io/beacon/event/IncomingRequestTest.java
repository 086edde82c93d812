package io.beacon.event;

import static io.beacon.event.EventFixtures.json;
import static io.beacon.event.EventFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IncomingRequestTest {
    private static final long RECEIVED_AT = Instant.parse("2026-11-25T10:00:12Z").toEpochMilli();

    private static List<IncomingRequest.Prepared> prepareAll(JsonNode body, EventType endpoint) {
        IncomingRequest.Split split = IncomingRequest.split(body, endpoint);
        List<JsonNode> items = assertInstanceOf(IncomingRequest.Split.Items.class, split).items();
        return java.util.stream.IntStream.range(0, items.size())
                .mapToObj(i -> IncomingRequest.prepare(i, items.get(i), "proj", RECEIVED_AT, "10.0.0.1", "curl/8"))
                .toList();
    }

    @Test
    void shouldMapRealSegmentSdkBatchFieldByField() {
        List<IncomingRequest.Prepared> prepared = prepareAll(resource("/segment/analytics-node-batch.json"), null);
        assertEquals(6, prepared.size());
        assertTrue(prepared.stream().allMatch(IncomingRequest.Prepared::accepted), () -> prepared.toString());

        Event identify = prepared.get(0).event();
        assertEquals("ajs-next-d2b3f1b9c5a7e1d0f4c3b2a1", identify.eventId());
        assertEquals(EventType.IDENTIFY, identify.type());
        assertEquals("$identify", identify.eventName());
        assertEquals("019mr8mf4r", identify.userId());
        assertEquals("507f191e810c19729de860ea", identify.anonymousId());
        assertEquals("peter@example.com", identify.traits().get("email"));
        assertEquals(5, identify.traits().get("logins"));
        // explicit timestamp is trusted as given
        assertEquals(Instant.parse("2026-11-25T10:00:00Z").toEpochMilli(), identify.eventTime());
        // item context {"ip": …} merged over the batch context: batch fields survive
        assertEquals("8.8.8.8", identify.ip());
        assertEquals("San Francisco", identify.city());
        assertEquals("United States", identify.country());
        assertEquals("CA", identify.region());
        assertEquals("iPhone7,2", identify.deviceModel());
        assertEquals("iPhone OS", identify.osName());
        assertEquals("8.1.3", identify.osVersion());
        assertEquals("545", identify.appVersion());
        assertEquals("analytics.js", identify.libraryName());
        assertEquals("2.11.1", identify.libraryVersion());
        assertEquals("ios", identify.platform());
        assertTrue(identify.userAgent().startsWith("Mozilla/5.0 (iPhone"));

        Event track = prepared.get(1).event();
        assertEquals("Song Played", track.eventName());
        assertEquals(1.99, track.properties().get("revenue"));
        assertEquals(List.of("country"), track.properties().get("tags"));
        // batch sentAt 10:00:10, originalTimestamp 10:00:05, received 10:00:12 → 10:00:07
        assertEquals(Instant.parse("2026-11-25T10:00:07Z").toEpochMilli(), track.eventTime());
        assertEquals(Instant.parse("2026-11-25T10:00:05Z").toEpochMilli(), track.clientTime());
        assertEquals(Instant.parse("2026-11-25T10:00:10Z").toEpochMilli(), track.sentAt());

        Event page = prepared.get(2).event();
        assertEquals("$pageview", page.eventName());
        assertEquals("https://segment.com/pricing", page.pageUrl());
        assertEquals("Segment Pricing", page.pageTitle());
        assertEquals("/pricing", page.pagePath());
        assertEquals("https://www.google.com/", page.referrer());
        assertNull(page.userId());
        assertEquals("proj:507f191e810c19729de860ea", page.partitionKey());

        Event screen = prepared.get(3).event();
        assertEquals("$screen", screen.eventName());
        assertEquals("iPhone15,2", screen.deviceModel());
        assertEquals("17.1", screen.osVersion());
        assertEquals("analytics-ios", screen.libraryName());
        assertEquals("4.1.8", screen.libraryVersion());

        Event group = prepared.get(4).event();
        assertEquals("0e8c78ea9d97a7b8185e8632", group.groupId());
        assertEquals("Initech", group.traits().get("name"));

        Event alias = prepared.get(5).event();
        assertEquals(EventType.ALIAS, alias.type());
        assertEquals("507f191e810c19729de860ea", alias.previousId());
    }

    @Test
    void shouldNeverForwardTheWriteKeyInTheEnvelope() {
        List<IncomingRequest.Prepared> prepared = prepareAll(resource("/segment/analytics-node-batch.json"), null);
        prepared.forEach(p -> assertFalse(p.envelope().payload().has("writeKey")));
        List<IncomingRequest.Prepared> single = prepareAll(json("{\"writeKey\":\"k\",\"event\":\"X\",\"userId\":\"u\"}"), EventType.TRACK);
        assertFalse(single.get(0).envelope().payload().has("writeKey"));
    }

    @Test
    void shouldSetTypeFromSingleCallEndpoint() {
        List<IncomingRequest.Prepared> p = prepareAll(json("{\"userId\":\"u\",\"traits\":{\"plan\":\"pro\"}}"), EventType.IDENTIFY);
        assertEquals(EventType.IDENTIFY, p.get(0).event().type());
        assertEquals("pro", p.get(0).event().traits().get("plan"));
    }

    @Test
    void shouldGenerateUuidEventIdWhenClientSentNone() {
        IncomingRequest.Prepared p = prepareAll(json("{\"event\":\"X\",\"userId\":\"u\"}"), EventType.TRACK).get(0);
        assertNotNull(UUID.fromString(p.event().eventId()));
        assertEquals(p.envelope().eventId(), p.event().eventId());
    }

    @Test
    void shouldKeepNativeEventId() {
        IncomingRequest.Prepared p = prepareAll(json("{\"event_name\":\"X\",\"user_id\":\"u\",\"event_id\":\"abc-1\"}"), EventType.TRACK).get(0);
        assertEquals("abc-1", p.event().eventId());
        assertEquals(WireFormat.NATIVE, p.envelope().format());
    }

    @Test
    void shouldReportEachBadBatchItemByIndexAndAcceptTheRest() {
        List<IncomingRequest.Prepared> p = prepareAll(json("""
                {"batch":[{"type":"track","event":"ok","userId":"u"}, 7, {"type":"track","userId":"u"},
                          {"type":"track","event":"ok","userId":"u","messageId":{"x":1}}]}"""), null);
        assertTrue(p.get(0).accepted());
        assertEquals(RejectionCode.NOT_AN_OBJECT, p.get(1).rejection().code());
        assertEquals(RejectionCode.MISSING_EVENT_NAME, p.get(2).rejection().code());
        assertEquals(RejectionCode.INVALID_FIELD_TYPE, p.get(3).rejection().code());
        assertEquals(2, p.get(2).index());
    }

    @Test
    void shouldRefuseEmptyOrMissingBatch() {
        assertEquals(RejectionCode.EMPTY_BATCH, refusal("{\"batch\":[]}").code());
        assertEquals(RejectionCode.EMPTY_BATCH, refusal("{}").code());
        assertEquals(RejectionCode.INVALID_FIELD_TYPE, refusal("{\"batch\":{}}").code());
        assertEquals(RejectionCode.NOT_AN_OBJECT, refusal("\"text\"").code());
    }

    @Test
    void shouldRefuseSingleCallBodyThatIsNotAnObject() {
        IncomingRequest.Split s = IncomingRequest.split(json("[1,2]"), EventType.TRACK);
        assertEquals(RejectionCode.NOT_AN_OBJECT, assertInstanceOf(IncomingRequest.Split.Refused.class, s).rejection().code());
    }

    @Test
    void shouldRoundTripEventThroughCodec() {
        Event e = prepareAll(resource("/segment/analytics-node-batch.json"), null).get(1).event();
        Event back = EventCodec.decodeEvent(EventCodec.encode(e));
        assertEquals(e, back);
        Map<?, ?> asJson = EventCodec.decode(EventCodec.encode(e), Map.class);
        assertEquals("track", asJson.get("type"));
        assertEquals("Song Played", asJson.get("event_name"));
    }

    private static Rejection refusal(String body) {
        return assertInstanceOf(IncomingRequest.Split.Refused.class, IncomingRequest.split(json(body), null)).rejection();
    }
}
