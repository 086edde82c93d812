package io.beacon.event.posthog;

import static io.beacon.event.posthog.PostHogFixtures.RECEIVED_AT;
import static io.beacon.event.posthog.PostHogFixtures.TOKEN;
import static io.beacon.event.posthog.PostHogFixtures.items;
import static io.beacon.event.posthog.PostHogFixtures.json;
import static io.beacon.event.posthog.PostHogFixtures.recordedBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.IncomingRequest;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostHogRequestTest {

    @Test
    void shouldReadTokenFromBatchApiKey() {
        assertEquals(Optional.of(TOKEN), PostHogRequest.token(recordedBatch("checkout")));
    }

    @Test
    void shouldReadTokenFromSingleEventOrItsProperties() {
        assertEquals(Optional.of("k1"), PostHogRequest.token(json("{\"event\":\"e\",\"token\":\"k1\"}")));
        assertEquals(Optional.of("k2"), PostHogRequest.token(json("{\"event\":\"e\",\"properties\":{\"token\":\"k2\"}}")));
        assertEquals(Optional.of("k3"), PostHogRequest.token(json("{\"event\":\"e\",\"$token\":\"k3\"}")));
    }

    @Test
    void shouldReadTokenFromFirstEventOfAnArray() {
        assertEquals(Optional.of("k4"), PostHogRequest.token(PostHogFixtures.json("{\"batch\":[{\"event\":\"e\",\"properties\":{\"token\":\"k4\"}}]}")));
        assertEquals(Optional.of("k5"), PostHogRequest.token(EventArray.of("{\"event\":\"e\",\"api_key\":\"k5\"}")));
    }

    @Test
    void shouldFindNoTokenInEventWithoutOne() {
        assertEquals(Optional.empty(), PostHogRequest.token(json("{\"event\":\"e\",\"distinct_id\":\"u\"}")));
    }

    @Test
    void shouldSplitRecordedBatchIntoItsEvents() {
        List<JsonNode> items = items(PostHogRequest.split(recordedBatch("checkout"), null));

        assertEquals(List.of("$autocapture", "$autocapture", "$autocapture", "$autocapture", "purchase", "$pageleave"),
                items.stream().map(i -> i.get("event").asText()).toList());
    }

    @Test
    void shouldStripTheTokenFromEveryEvent() {
        for (JsonNode item : items(PostHogRequest.split(recordedBatch("checkout"), null))) {
            assertFalse(item.path("properties").has("token"), item.toString());
            assertFalse(item.has("api_key"));
        }
    }

    @Test
    void shouldCopyBatchSentAtIntoEachEvent() {
        JsonNode batch = recordedBatch("checkout");

        for (JsonNode item : items(PostHogRequest.split(batch, 1L))) {
            assertEquals(batch.get("sent_at"), item.get("sent_at"));
        }
    }

    @Test
    void shouldUseUnderscoreQueryParameterAsSentAtWhenBodyHasNone() {
        List<JsonNode> items = items(PostHogRequest.split(json("{\"event\":\"e\",\"distinct_id\":\"u\"}"), 1_795_642_514_000L));

        assertEquals(1_795_642_514_000L, items.get(0).get("sent_at").asLong());
    }

    @Test
    void shouldKeepAnEventsOwnSentAt() {
        List<JsonNode> items = items(PostHogRequest.split(json("{\"event\":\"e\",\"distinct_id\":\"u\",\"sent_at\":5}"), 9L));

        assertEquals(5, items.get(0).get("sent_at").asLong());
    }

    @Test
    void shouldRefuseEmptyBatch() {
        IncomingRequest.Split split = PostHogRequest.split(json("{\"api_key\":\"k\",\"batch\":[]}"), null);

        assertEquals(RejectionCode.EMPTY_BATCH, assertInstanceOf(IncomingRequest.Split.Refused.class, split).rejection().code());
    }

    @Test
    void shouldRefuseBatchThatIsNotAnArray() {
        IncomingRequest.Split split = PostHogRequest.split(json("{\"api_key\":\"k\",\"batch\":{}}"), null);

        assertEquals(RejectionCode.INVALID_FIELD_TYPE, assertInstanceOf(IncomingRequest.Split.Refused.class, split).rejection().code());
    }

    @Test
    void shouldRefuseUndecodedDataField() {
        IncomingRequest.Split split = PostHogRequest.split(json("{\"data\":\"eyJldmVudCI6ImUifQ==\"}"), null);

        assertEquals(RejectionCode.MALFORMED_JSON, assertInstanceOf(IncomingRequest.Split.Refused.class, split).rejection().code());
    }

    @Test
    void shouldUseUuidAsEventIdAndMarkEnvelopeAsPostHog() {
        JsonNode purchase = items(PostHogRequest.split(recordedBatch("checkout"), null)).get(4);

        IncomingRequest.Prepared p = PostHogRequest.prepare(4, purchase, "proj", RECEIVED_AT, "1.2.3.4", "ua");

        assertTrue(p.accepted());
        assertEquals("01a214a2-5e01-70ca-a0cb-03fd9498c49e", p.envelope().eventId());
        assertEquals(WireFormat.POSTHOG, p.envelope().format());
        assertEquals("proj:ada@example.com", p.event().partitionKey());
    }

    @Test
    void shouldMakeAnEventIdWhenUuidIsMissing() {
        IncomingRequest.Prepared p = PostHogRequest.prepare(0, json("{\"event\":\"e\",\"distinct_id\":\"u\"}"), "proj", RECEIVED_AT, null, null);

        assertEquals(36, p.envelope().eventId().length());
    }

    @Test
    void shouldRefuseNonObjectEvent() {
        IncomingRequest.Prepared p = PostHogRequest.prepare(1, json("{\"a\":[1]}").get("a").get(0), "proj", RECEIVED_AT, null, null);

        assertEquals(RejectionCode.NOT_AN_OBJECT, p.rejection().code());
    }

    @Test
    void shouldRefuseNonStringUuid() {
        IncomingRequest.Prepared p = PostHogRequest.prepare(0, json("{\"event\":\"e\",\"distinct_id\":\"u\",\"uuid\":{}}"), "proj", RECEIVED_AT, null, null);

        assertEquals(RejectionCode.INVALID_FIELD_TYPE, p.rejection().code());
    }

    /** Bodies that are a bare JSON array of events. */
    private static final class EventArray {
        static JsonNode of(String... events) {
            try {
                return io.beacon.event.EventCodec.mapper().readTree("[" + String.join(",", events) + "]");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
