package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.Event;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.WireFormat;
import io.beacon.gateway.internal.posthog.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** posthog-js's real requests, replayed byte for byte, are accepted and land on the raw topic as PostHog events. */
class PostHogCaptureRoutesTest {
    private static PostHogClient client;

    @BeforeAll
    static void start() throws Exception {
        client = new PostHogClient();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
    }

    @BeforeEach
    void clear() {
        client.log.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "recorded/gzip-pageview.json",
            "recorded/gzip-autocapture-link-and-button.json",
            "recorded/gzip-identify.json",
            "recorded/gzip-checkout-purchase-pageleave.json",
            "recorded/base64-form-autocapture.json",
            "recorded/base64-form-checkout-purchase-pageleave.json",
            "recorded/json-identify.json",
            "derived/lz64-form.json",
            "derived/lz64-query.json",
            "derived/get-data.json"})
    void shouldAcceptEveryEncodingPostHogJsSends(String fixture) {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load(fixture));

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
        assertEquals(1, reply.json().get("status").asInt());
        assertFalse(client.log.entries().isEmpty());
        client.log.entries().forEach(e -> assertEquals(WireFormat.POSTHOG, e.envelope().format()));
    }

    @Test
    void shouldStoreEachEventOfARecordedBatchWithItsUuid() {
        client.replay(RecordedRequest.load("recorded/gzip-checkout-purchase-pageleave.json"));

        List<Event> events = events();
        assertEquals(List.of("$autocapture", "$autocapture", "$autocapture", "$autocapture", "purchase", "$pageleave"),
                events.stream().map(Event::eventName).toList());
        Event purchase = events.get(4);
        assertEquals("01a214a2-5e01-70ca-a0cb-03fd9498c49e", purchase.eventId());
        assertEquals(GatewayHarness.PROJECT, purchase.projectId());
        assertEquals("01a214a2-59c6-76b0-b9ec-9f8724008fe9", purchase.sessionId());
        assertEquals("proj_shop:ada@example.com", client.log.entries().get(4).key());
    }

    @Test
    void shouldNeverPutTheTokenOnTheRawTopic() {
        client.replay(RecordedRequest.load("recorded/base64-form-checkout-purchase-pageleave.json"));

        client.log.entries().forEach(e -> {
            assertFalse(e.envelope().payload().has("api_key"));
            assertFalse(e.envelope().payload().path("properties").has("token"), e.envelope().payload().toString());
        });
    }

    @Test
    void shouldCorrectSkewWithTheBatchSentAt() {
        client.replay(RecordedRequest.load("recorded/gzip-pageview.json"));

        Event pageview = events().get(0);
        // recorded: timestamp …13.840Z, sent_at …13.870Z: the event happened 30 ms before the server received it
        assertEquals(GatewayHarness.NOW.toEpochMilli() - 30, pageview.eventTime());
    }

    @Test
    void shouldUseUnderscoreParameterAsSentAt() {
        client.replay(RecordedRequest.load("derived/get-data.json"));

        Event pageview = events().get(0);
        assertEquals(1_795_642_486_200L, pageview.sentAt());
        assertEquals(GatewayHarness.NOW.toEpochMilli() - 77, pageview.eventTime(), "timestamp …46.123 sent at …46.200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/e", "/e/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/track", "/track/", "/batch", "/batch/"})
    void shouldServeEveryCapturePath(String path) {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-identify.json"), path);

        assertEquals(200, reply.status(), path + ": " + reply.json());
        assertEquals(1, client.log.entries().size());
        client.log.clear();
    }

    @Test
    void shouldAnswerBeaconRequestsWithNoContent() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/base64-form-autocapture.json"), "/e/?compression=base64&beacon=1");

        assertEquals(204, reply.status());
        assertNull(reply.json());
        assertEquals(1, client.log.entries().size());
    }

    @Test
    void shouldEchoAnAllowedOriginWithCredentials() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-identify.json"));

        assertEquals(PostHogClient.BROWSER_ORIGIN, reply.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", reply.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
    }

    @Test
    void shouldReportRefusedEventsAndStoreTheOthers() {
        // Given a batch whose second event has no distinct_id
        byte[] body = """
                {"api_key":"wk_test","batch":[{"event":"ok","distinct_id":"u1"},{"event":"no id"}]}""".getBytes();
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body));

        assertEquals(200, reply.status());
        assertEquals(1, reply.json().get("accepted").asInt());
        assertEquals("MISSING_USER_ID", reply.json().get("rejected").get(0).get("code").asText());
        assertEquals(1, client.log.entries().size());
    }

    @Test
    void shouldAcceptASingleEventWithTokenInProperties() {
        byte[] body = "{\"event\":\"signed_up\",\"distinct_id\":\"u1\",\"properties\":{\"token\":\"wk_test\",\"plan\":\"pro\"}}".getBytes();
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body), "/capture/");

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
        assertTrue(events().get(0).properties().containsKey("plan"));
        assertFalse(events().get(0).properties().containsKey("token"));
    }

    private static List<Event> events() {
        return client.log.entries().stream().map(e -> {
            MappingResult r = EventMapper.map(e.envelope());
            return ((MappingResult.Mapped) r).event();
        }).toList();
    }
}
