package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.DqFact;
import io.beacon.gateway.internal.posthog.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each item the gateway refuses once the project is known is reported as one data-quality fact; the answer is unchanged. */
class RefusedItemFactsTest {
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static final long NOW = GatewayHarness.NOW.toEpochMilli();
    private static GatewayHarness gateway;
    private static PostHogClient posthog;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.serve(GatewayHarness.defaultSettings().withMaxEventBytes(2_048), LOG);
        posthog = new PostHogClient();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        posthog.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
        posthog.log.clear();
    }

    private static DqFact refused(String code, String eventName, String eventId) {
        return new DqFact(GatewayHarness.PROJECT, DqFact.Stage.GATEWAY_REJECTED, code, eventName, eventId, NOW);
    }

    private static GatewayHarness.Reply postRaw(String path, String body, String writeKey) {
        return gateway.post(path, body.getBytes(StandardCharsets.UTF_8), "Authorization", GatewayHarness.basicAuth(writeKey));
    }

    @Test
    void shouldReportEachRefusedBatchItemWithItsCodeNameAndIdWhileAcceptingTheRest() {
        ObjectNode noUser = Payloads.item("track", "m-2");
        noUser.remove("userId");
        ObjectNode tooLarge = Payloads.item("track", "m-3");
        tooLarge.putObject("properties").put("blob", "x".repeat(4_000));

        GatewayHarness.Reply reply = gateway.post("/v1/batch", Payloads.batch(Payloads.item("track", "m-1"), noUser, IntNode.valueOf(42),
                tooLarge, Payloads.nativeTrack().put("event_id", " evt-n ").put("event_time", "yesterday")));

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(1, reply.json().get("accepted").asInt());
        assertEquals(4, reply.json().get("rejected").size());
        assertEquals(List.of(
                refused("MISSING_USER_ID", "Item Viewed", "m-2"),
                refused("NOT_AN_OBJECT", "", ""),
                refused("EVENT_TOO_LARGE", "Item Viewed", "m-3"),
                refused("INVALID_TIMESTAMP", "checkout", "evt-n")), LOG.facts());
        assertEquals(List.of("m-1"), LOG.entries().stream().map(e -> e.envelope().eventId()).toList());
    }

    @Test
    void shouldReportABatchWhoseItemsAreAllRefused() {
        ObjectNode noName = Payloads.item("track", "m-1");
        noName.remove("event");

        GatewayHarness.Reply reply = gateway.post("/v1/batch", Payloads.batch(noName, Payloads.item("track", "m-2").put("type", "bogus")));

        assertEquals(400, reply.status(), reply.json().toString());
        assertEquals(List.of(refused("MISSING_EVENT_NAME", "", "m-1"), refused("INVALID_TYPE", "Item Viewed", "m-2")), LOG.facts());
    }

    @Test
    void shouldReportARefusedSingleCallStampedWithTheRequestsReceiveTime() {
        ObjectNode noName = Payloads.track();
        noName.remove("event");

        GatewayHarness.Reply reply = gateway.post("/v1/track", noName);

        assertEquals(400, reply.status());
        assertEquals("MISSING_EVENT_NAME", reply.errorCode());
        assertEquals(List.of(refused("MISSING_EVENT_NAME", "", "msg-track-1")), LOG.facts());
    }

    @Test
    void shouldReportASingleCallWhoseBodyIsNotAnObject() {
        GatewayHarness.Reply reply = postRaw("/v1/identify", "[1, 2]", GatewayHarness.WRITE_KEY);

        assertEquals(400, reply.status());
        assertEquals(List.of(refused("NOT_AN_OBJECT", "", "")), LOG.facts());
    }

    @Test
    void shouldKeepNoOverlongIdInTheFact() {
        GatewayHarness.Reply reply = gateway.post("/v1/track", Payloads.track().put("messageId", "m".repeat(300)));

        assertEquals(400, reply.status());
        assertEquals(List.of(refused("FIELD_TOO_LONG", "Order Completed", "")), LOG.facts());
    }

    @Test
    void shouldReportNothingForAcceptedEvents() {
        assertEquals(200, gateway.post("/v1/track", Payloads.track()).status());
        assertEquals(200, gateway.post("/v1/batch", Payloads.batch(Payloads.item("page", "m-1"))).status());

        assertEquals(List.of(), LOG.facts());
    }

    @Test
    void shouldNotAttributeRequestsRefusedBeforeTheirItemsAreKnown() {
        // the write key names no project, the body is not JSON, the batch holds no items
        assertEquals(401, postRaw("/v1/track", "{\"userId\":\"u\",\"event\":\"e\"}", "wk_unknown").status());
        assertEquals(400, postRaw("/v1/track", "{\"userId\": \"u\", \"event\": ", GatewayHarness.WRITE_KEY).status());
        assertEquals(400, postRaw("/v1/batch", "{\"batch\": []}", GatewayHarness.WRITE_KEY).status());
        assertEquals(400, postRaw("/v1/batch", "{\"batch\": {\"event\": \"e\"}}", GatewayHarness.WRITE_KEY).status());

        assertEquals(List.of(), LOG.facts());
    }

    @Test
    void shouldReportRefusedPostHogEventsWithTheirUuid() {
        byte[] body = ("{\"api_key\":\"wk_test\",\"batch\":[{\"event\":\"a\",\"uuid\":\"u-1\"},{\"distinct_id\":\"u\"},"
                + "{\"event\":\"ok\",\"distinct_id\":\"u\",\"uuid\":\"u-3\"}]}").getBytes(StandardCharsets.UTF_8);

        PostHogClient.Reply reply = posthog.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body));

        assertEquals(200, reply.status());
        assertEquals(List.of(refused("MISSING_USER_ID", "a", "u-1"), refused("MISSING_EVENT_NAME", "", "")), posthog.log.facts());
        assertEquals(List.of("u-3"), posthog.log.entries().stream().map(e -> e.envelope().eventId()).toList());
    }
}
