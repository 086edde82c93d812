package io.beacon.event.posthog;

import static io.beacon.event.posthog.PostHogFixtures.ANON_ID;
import static io.beacon.event.posthog.PostHogFixtures.RECEIVED_AT;
import static io.beacon.event.posthog.PostHogFixtures.SESSION_ID;
import static io.beacon.event.posthog.PostHogFixtures.json;
import static io.beacon.event.posthog.PostHogFixtures.mapped;
import static io.beacon.event.posthog.PostHogFixtures.recordedEvent;
import static io.beacon.event.posthog.PostHogFixtures.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.PostHogMapper;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostHogMapperTest {

    @Test
    void shouldMapRecordedPageviewToPageColumns() {
        Event e = mapped(recordedEvent("pageview", "$pageview"));

        assertEquals(EventType.PAGE, e.type());
        assertEquals("$pageview", e.eventName());
        assertEquals("http://127.0.0.1:18765/demo/shop/?key=wk_test", e.pageUrl());
        assertEquals("/demo/shop/", e.pagePath());
        assertEquals("Home · Beacon demo shop", e.pageTitle());
        assertNull(e.referrer(), "$direct means no referrer");
        assertEquals("Linux", e.osName());
        assertEquals("Desktop", e.deviceModel(), "a desktop browser has no $device: $device_type is the best label");
        assertEquals("web", e.platform());
        assertEquals("web", e.libraryName());
        assertEquals("1.449.2", e.libraryVersion());
        assertTrue(e.userAgent().contains("Chrome/156"), "$raw_user_agent wins over the HTTP header");
        assertEquals("203.0.113.9", e.ip());
    }

    @Test
    void shouldTakeSessionIdFromSessionIdProperty() {
        assertEquals(SESSION_ID, mapped(recordedEvent("pageview", "$pageview")).sessionId());
        assertEquals(SESSION_ID, mapped(recordedEvent("checkout", "purchase")).sessionId());
    }

    @Test
    void shouldTreatEventsBeforeIdentifyAsAnonymous() {
        Event e = mapped(recordedEvent("pageview", "$pageview"));

        assertNull(e.userId());
        assertEquals(ANON_ID, e.anonymousId());
        assertEquals(ANON_ID, e.distinctId());
    }

    @Test
    void shouldLinkAnonymousIdToUserOnIdentify() {
        Event e = mapped(recordedEvent("identify", "$identify"));

        assertEquals(EventType.IDENTIFY, e.type());
        assertEquals("ada@example.com", e.userId());
        assertEquals(ANON_ID, e.anonymousId(), "$anon_distinct_id is the id the visitor had before logging in");
        assertEquals("ada@example.com", e.traits().get("email"), "$set becomes the traits");
    }

    @Test
    void shouldKeepSetOnceWithoutNullsInTraits() {
        Event e = mapped(recordedEvent("identify", "$identify"));

        @SuppressWarnings("unchecked")
        Map<String, Object> setOnce = (Map<String, Object>) e.traits().get("$set_once");
        assertEquals("checkout", setOnce.get("first_login_page"));
        assertEquals("/demo/shop/", setOnce.get("$initial_pathname"));
        assertFalse(setOnce.containsKey("$initial_utm_source"), "null $set_once values carry nothing");
        assertFalse(e.properties().containsKey("$set_once"));
    }

    @Test
    void shouldTreatEventsAfterIdentifyAsTheUserOnTheSameDevice() {
        Event e = mapped(recordedEvent("checkout", "purchase"));

        assertEquals("ada@example.com", e.userId());
        assertEquals(ANON_ID, e.anonymousId(), "$device_id stays the anonymous id");
        assertEquals(12.5, e.properties().get("revenue"));
        assertEquals("USD", e.properties().get("currency"));
        assertEquals(EventType.TRACK, e.type());
    }

    @Test
    void shouldKeepAutocapturedElementTextAndChainAsProperties() {
        Event e = mapped(recordedEvent("autocapture", "$autocapture"));

        assertEquals("$autocapture", e.eventName());
        assertEquals("Add to cart", e.properties().get("$el_text"));
        assertTrue(((String) e.properties().get("$elements_chain")).startsWith("button:"), e.properties().get("$elements_chain").toString());
        assertEquals("click", e.properties().get("$event_type"));
    }

    @Test
    void shouldTakeElementTextFromElementsArrayWhenNoElTextIsSent() {
        ObjectNode event = json("""
                {"event":"$autocapture","distinct_id":"u1","properties":{"$elements":[
                  {"tag_name":"button","$el_text":"Buy now","attr__id":"buy"},{"tag_name":"div"}]}}""");

        assertEquals("Buy now", mapped(event).properties().get("$el_text"));
    }

    @Test
    void shouldMapPageleaveAsTrackWithPage() {
        Event e = mapped(recordedEvent("checkout", "$pageleave"));

        assertEquals(EventType.TRACK, e.type());
        assertEquals("/demo/shop/checkout.html", e.pagePath());
    }

    @Test
    void shouldCorrectClockSkewWithSentAt() {
        // Given a client clock 1 hour fast: the event happened 2 s before the client sent it
        ObjectNode event = json("""
                {"event":"e","distinct_id":"u1","timestamp":"2026-11-25T13:00:00.000Z","sent_at":"2026-11-25T13:00:02.000Z"}""");

        assertEquals(RECEIVED_AT - 2000, mapped(event).eventTime());
        assertEquals(Instant.parse("2026-11-25T13:00:00Z").toEpochMilli(), mapped(event).clientTime());
    }

    @Test
    void shouldUseOffsetBeforeReceiveTime() {
        ObjectNode event = json("""
                {"event":"e","distinct_id":"u1","offset":1500,"timestamp":"2020-01-01T00:00:00Z"}""");

        assertEquals(RECEIVED_AT - 1500, mapped(event).eventTime());
    }

    @Test
    void shouldFallBackToTimePropertyInSeconds() {
        ObjectNode event = json("""
                {"event":"e","distinct_id":"u1","properties":{"$time":1795642514.873}}""");

        assertEquals(1_795_642_514_873L, mapped(event).eventTime());
    }

    @Test
    void shouldAcceptDistinctIdVariants() {
        assertEquals("a", mapped(json("{\"event\":\"e\",\"$distinct_id\":\"a\"}")).distinctId());
        assertEquals("b", mapped(json("{\"event\":\"e\",\"properties\":{\"distinct_id\":\"b\"}}")).distinctId());
        assertEquals("42", mapped(json("{\"event\":\"e\",\"distinct_id\":42}")).distinctId());
    }

    @Test
    void shouldMapServerSdkDistinctIdToUserId() {
        Event e = mapped(json("{\"event\":\"signed_up\",\"distinct_id\":\"user-7\",\"properties\":{\"$lib\":\"posthog-python\"}}"));

        assertEquals("user-7", e.userId());
        assertNull(e.anonymousId());
        assertEquals("server", e.platform());
    }

    @Test
    void shouldMapCreateAliasToPreviousId() {
        Event e = mapped(json("""
                {"event":"$create_alias","distinct_id":"anon-1","properties":{"alias":"user-9","distinct_id":"anon-1"}}"""));

        assertEquals(EventType.ALIAS, e.type());
        assertEquals("anon-1", e.userId());
        assertEquals("user-9", e.previousId());
    }

    @Test
    void shouldRefuseAliasWithoutAlias() {
        assertEquals(RejectionCode.MISSING_PREVIOUS_ID,
                rejected(json("{\"event\":\"$create_alias\",\"distinct_id\":\"a\",\"properties\":{}}")).code());
    }

    @Test
    void shouldMapGroupIdentifyToGroupId() {
        Event e = mapped(json("""
                {"event":"$groupidentify","distinct_id":"u1","properties":{"$group_type":"company","$group_key":"acme"}}"""));

        assertEquals(EventType.GROUP, e.type());
        assertEquals("acme", e.groupId());
    }

    @Test
    void shouldRefuseEventWithoutName() {
        assertEquals(RejectionCode.MISSING_EVENT_NAME, rejected(json("{\"distinct_id\":\"u1\"}")).code());
    }

    @Test
    void shouldRefuseEventWithoutDistinctId() {
        assertEquals(RejectionCode.MISSING_USER_ID, rejected(json("{\"event\":\"e\",\"properties\":{}}")).code());
    }

    @Test
    void shouldRefuseNonObjectProperties() {
        assertEquals(RejectionCode.INVALID_FIELD_TYPE, rejected(json("{\"event\":\"e\",\"distinct_id\":\"u\",\"properties\":[]}")).code());
    }

    @Test
    void shouldRefuseUnparseableTimestamp() {
        assertEquals(RejectionCode.INVALID_TIMESTAMP, rejected(json("{\"event\":\"e\",\"distinct_id\":\"u\",\"timestamp\":\"yesterday\"}")).code());
    }

    @Test
    void shouldRefuseNegativeOffset() {
        assertEquals(RejectionCode.INVALID_TIMESTAMP, rejected(json("{\"event\":\"e\",\"distinct_id\":\"u\",\"offset\":-5}")).code());
    }

    @Test
    void shouldSurviveTheRawTopicCodecWithItsFormat() {
        // The topology decodes the envelope the gateway wrote and maps it again: same event.
        RawEnvelope envelope = new RawEnvelope("p1", "uuid-1", RECEIVED_AT, "203.0.113.9", "ua", WireFormat.POSTHOG,
                recordedEvent("checkout", "purchase"));

        RawEnvelope decoded = EventCodec.decodeEnvelope(EventCodec.encode(envelope));

        assertEquals(WireFormat.POSTHOG, decoded.format());
        assertEquals(mapped(envelope.payload()), mapped(decoded.payload()));
    }
}
