package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchRouteTest {
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

    @Test
    void shouldAcceptAllSixItemsOfASegmentBatchWithAcceptedCount() {
        GatewayHarness.Reply reply = gateway.post("/v1/batch", Payloads.resource("segment/analytics-node-batch.json"));

        assertEquals(200, reply.status(), reply.json().toString());
        assertTrue(reply.json().get("success").asBoolean());
        assertEquals(6, reply.json().get("accepted").asInt());
        assertEquals(0, reply.json().get("rejected").size());
        assertEquals(List.of("ajs-next-d2b3f1b9c5a7e1d0f4c3b2a1", "ajs-next-0c4b1f5e-1a33-4d1f-9a7e-2f8e0a6c9b11",
                        "ajs-next-page-0001", "ios-screen-0001", "group-0001", "alias-0001"),
                LOG.entries().stream().map(e -> e.envelope().eventId()).toList());
    }

    @Test
    void shouldAcceptValidItemsAndReportEachRejectedItemWithIndexAndReason() {
        ObjectNode noName = Payloads.item("track", "m2");
        noName.remove("event");
        ObjectNode noUser = Payloads.item("page", "m4");
        noUser.remove("userId");
        ObjectNode body = Payloads.batch(
                Payloads.item("track", "m0"),
                Payloads.item("identify", "m1"),
                noName,
                Payloads.item("track", "m3").put("type", "bogus"),
                noUser);

        GatewayHarness.Reply reply = gateway.post("/v1/batch", body);

        assertEquals(200, reply.status(), reply.json().toString());
        assertTrue(reply.json().get("success").asBoolean());
        assertEquals(2, reply.json().get("accepted").asInt());
        JsonNode rejected = reply.json().get("rejected");
        assertEquals(3, rejected.size());
        assertRejected(rejected.get(0), 2, "MISSING_EVENT_NAME", "event");
        assertRejected(rejected.get(1), 3, "INVALID_TYPE", "type");
        assertRejected(rejected.get(2), 4, "MISSING_USER_ID", "userId");
        assertFalse(reply.json().has("error"));
        assertEquals(List.of("m0", "m1"), LOG.entries().stream().map(e -> e.envelope().eventId()).toList());
    }

    @Test
    void shouldMergeBatchContextIntoEachItemWithTheItemsOwnValuesWinning() {
        // Given batch-level context and sentAt, and an item with its own context.ip
        ObjectNode body = Payloads.batch(Payloads.item("track", "m0"), Payloads.item("track", "m1"));
        ObjectNode context = body.putObject("context");
        context.put("ip", "198.51.100.1").putObject("library").put("name", "analytics-node").put("version", "6.0.0");
        body.put("sentAt", "2026-11-25T11:59:59.000Z");
        ((ObjectNode) body.get("batch").get(1)).putObject("context").put("ip", "198.51.100.2");

        GatewayHarness.Reply reply = gateway.post("/v1/batch", body);

        assertEquals(200, reply.status());
        JsonNode first = LOG.entries().get(0).envelope().payload();
        JsonNode second = LOG.entries().get(1).envelope().payload();
        assertEquals("198.51.100.1", first.path("context").path("ip").asText());
        assertEquals("analytics-node", first.path("context").path("library").path("name").asText());
        assertEquals("2026-11-25T11:59:59.000Z", first.path("sentAt").asText());
        assertEquals("198.51.100.2", second.path("context").path("ip").asText());
        assertEquals("analytics-node", second.path("context").path("library").path("name").asText());
        MappingResult.Mapped mapped = (MappingResult.Mapped) EventMapper.map(LOG.entries().get(1).envelope());
        assertEquals("analytics-node", mapped.event().libraryName());
        assertEquals("198.51.100.2", mapped.event().ip());
    }

    @Test
    void shouldNotForwardTheBodyWriteKeyToTheEventLog() {
        ObjectNode body = Payloads.batch(Payloads.item("track", "m0")).put("writeKey", GatewayHarness.WRITE_KEY);
        ((ObjectNode) body.get("batch").get(0)).put("writeKey", GatewayHarness.WRITE_KEY);

        gateway.post("/v1/batch", body);

        assertFalse(LOG.entries().get(0).envelope().payload().has("writeKey"));
    }

    @Test
    void shouldAcceptABatchGivenAsABareArray() {
        GatewayHarness.Reply reply = gateway.post("/v1/batch",
                Payloads.object().arrayNode().add(Payloads.item("track", "m0")).add(Payloads.nativeTrack()));

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(2, reply.json().get("accepted").asInt());
    }

    private static void assertRejected(JsonNode item, int index, String code, String field) {
        assertEquals(index, item.get("index").asInt(), item.toString());
        assertEquals(code, item.get("code").asText(), item.toString());
        assertEquals(field, item.get("field").asText(), item.toString());
        assertFalse(item.get("message").asText().isBlank());
    }
}
