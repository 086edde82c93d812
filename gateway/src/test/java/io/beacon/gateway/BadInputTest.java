package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input answers 4xx with its code, and nothing reaches the event log. */
class BadInputTest {
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.serve(GatewayHarness.defaultSettings(), LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
    }

    @AfterEach
    void nothingWasSent() {
        assertEquals(0, LOG.entries().size(), "bad input must not reach the event log");
    }

    private static GatewayHarness.Reply postRaw(String path, String body) {
        return gateway.post(path, body.getBytes(StandardCharsets.UTF_8), "Authorization", GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY));
    }

    private static void assertError(GatewayHarness.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.json().toString());
        assertEquals(code, reply.errorCode(), reply.json().toString());
        assertTrue(reply.json().path("error").path("message").asText().length() > 5, "a message a developer can act on");
    }

    @Test
    void shouldRejectMalformedJsonWith400AndNothingSent() {
        assertError(postRaw("/v1/track", "{\"userId\": \"u1\", \"event\": "), 400, "MALFORMED_JSON");
    }

    @Test
    void shouldRejectTrailingGarbageAfterJsonWith400AndNothingSent() {
        assertError(postRaw("/v1/track", "{\"userId\":\"u1\",\"event\":\"x\"} trailing"), 400, "MALFORMED_JSON");
    }

    @Test
    void shouldRejectEmptyBodyWith400AndNothingSent() {
        assertError(postRaw("/v1/track", ""), 400, "MALFORMED_JSON");
    }

    @Test
    void shouldRejectBodyThatIsNotAnObjectWith400AndNothingSent() {
        assertError(postRaw("/v1/track", "[{\"userId\":\"u1\",\"event\":\"x\"}]"), 400, "NOT_AN_OBJECT");
    }

    @Test
    void shouldRejectPropertiesGivenAsStringWith400NamingTheFieldAndNothingSent() {
        ObjectNode body = Payloads.track().put("properties", "revenue=10");

        GatewayHarness.Reply reply = gateway.post("/v1/track", body);

        assertError(reply, 400, "INVALID_FIELD_TYPE");
        assertEquals("properties", reply.json().path("error").path("field").asText());
    }

    @Test
    void shouldRejectTrackWithoutEventNameWith400AndNothingSent() {
        ObjectNode body = Payloads.track();
        body.remove("event");

        GatewayHarness.Reply reply = gateway.post("/v1/track", body);

        assertError(reply, 400, "MISSING_EVENT_NAME");
        assertEquals("event", reply.json().path("error").path("field").asText());
    }

    @Test
    void shouldRejectNativeTrackWithoutEventNameWith400AndNothingSent() {
        ObjectNode body = Payloads.nativeTrack();
        body.remove("event_name");

        assertError(gateway.post("/v1/track", body), 400, "MISSING_EVENT_NAME");
    }

    @Test
    void shouldRejectCallWithNeitherUserIdNorAnonymousIdWith400AndNothingSent() {
        ObjectNode body = Payloads.track();
        body.remove("userId");

        assertError(gateway.post("/v1/track", body), 400, "MISSING_USER_ID");
    }

    @Test
    void shouldRejectUnparseableTimestampWith400AndNothingSent() {
        ObjectNode body = Payloads.track().put("timestamp", "yesterday at noon");

        GatewayHarness.Reply reply = gateway.post("/v1/track", body);

        assertError(reply, 400, "INVALID_TIMESTAMP");
        assertEquals("timestamp", reply.json().path("error").path("field").asText());
    }

    @Test
    void shouldRejectGroupWithoutGroupIdWith400AndNothingSent() {
        ObjectNode body = Payloads.item("group", "m1");
        body.remove("groupId");

        assertError(gateway.post("/v1/group", body), 400, "MISSING_GROUP_ID");
    }

    @Test
    void shouldRejectEmptyBatchWith400AndNothingSent() {
        assertError(gateway.post("/v1/batch", Payloads.batch()), 400, "EMPTY_BATCH");
    }

    @Test
    void shouldRejectBatchBodyWithoutBatchArrayWith400AndNothingSent() {
        assertError(gateway.post("/v1/batch", Payloads.track()), 400, "EMPTY_BATCH");
    }

    @Test
    void shouldRejectBatchWhoseOnlyItemHasAnInvalidTypeWith400ReportingTheItemAndNothingSent() {
        GatewayHarness.Reply reply = gateway.post("/v1/batch", Payloads.batch(Payloads.item("track", "m1").put("type", "purchase")));

        assertError(reply, 400, "INVALID_TYPE");
        assertEquals(0, reply.json().get("accepted").asInt());
        assertEquals(0, reply.json().get("rejected").get(0).get("index").asInt());
        assertEquals("INVALID_TYPE", reply.json().get("rejected").get(0).get("code").asText());
        assertEquals("type", reply.json().get("rejected").get(0).get("field").asText());
    }

    @Test
    void shouldRejectBatchItemThatIsNotAnObjectWith400AndNothingSent() {
        GatewayHarness.Reply reply = postRaw("/v1/batch", "{\"batch\":[42]}");

        assertError(reply, 400, "NOT_AN_OBJECT");
        assertEquals(0, reply.json().get("rejected").get(0).get("index").asInt());
    }

    @Test
    void shouldRejectTooLongEventNameWith400AndNothingSent() {
        ObjectNode body = Payloads.track().put("event", "x".repeat(201));

        assertError(gateway.post("/v1/track", body), 400, "FIELD_TOO_LONG");
    }
}
