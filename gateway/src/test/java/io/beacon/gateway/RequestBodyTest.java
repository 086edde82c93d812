package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compression and size limits, with small configured limits (2 KiB per event, 8 KiB per request). */
class RequestBodyTest {
    private static final long MAX_EVENT = 2048;
    private static final long MAX_REQUEST = 8192;
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.serve(GatewayHarness.defaultSettings().withMaxEventBytes(MAX_EVENT).withMaxRequestBytes(MAX_REQUEST), LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
    }

    private static GatewayHarness.Reply post(String path, byte[] body, String... extraHeaders) {
        String[] headers = new String[extraHeaders.length + 2];
        headers[0] = "Authorization";
        headers[1] = GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY);
        System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
        return gateway.post(path, body, headers);
    }

    private static ObjectNode trackWithPadding(int paddingChars) {
        ObjectNode body = Payloads.track();
        ((ObjectNode) body.get("properties")).put("padding", "A".repeat(paddingChars));
        return body;
    }

    @Test
    void shouldAcceptGzipCompressedBody() {
        GatewayHarness.Reply reply = post("/v1/track", GatewayHarness.gzip(EventCodec.encode(Payloads.track())), "Content-Encoding", "gzip");

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(1, LOG.entries().size());
        assertEquals("Order Completed", LOG.entries().get(0).envelope().payload().get("event").asText());
    }

    @Test
    void shouldAcceptGzipCompressedBatch() {
        JsonNode batch = Payloads.batch(Payloads.item("track", "m0"), Payloads.item("identify", "m1"));

        GatewayHarness.Reply reply = post("/v1/batch", GatewayHarness.gzip(EventCodec.encode(batch)), "Content-Encoding", "gzip");

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(2, LOG.entries().size());
    }

    @Test
    void shouldRejectUndecodableGzipWith400MalformedJsonAndNothingSent() {
        GatewayHarness.Reply reply = post("/v1/track", EventCodec.encode(Payloads.track()), "Content-Encoding", "gzip");

        assertEquals(400, reply.status(), reply.json().toString());
        assertEquals("MALFORMED_JSON", reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldRejectTruncatedGzipWith400MalformedJsonAndNothingSent() {
        byte[] gz = GatewayHarness.gzip(EventCodec.encode(Payloads.track()));
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);

        GatewayHarness.Reply reply = post("/v1/track", truncated, "Content-Encoding", "gzip");

        assertEquals(400, reply.status(), reply.json().toString());
        assertEquals("MALFORMED_JSON", reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldRejectUnsupportedContentEncodingWith400AndNothingSent() {
        GatewayHarness.Reply reply = post("/v1/track", EventCodec.encode(Payloads.track()), "Content-Encoding", "br");

        assertEquals(400, reply.status(), reply.json().toString());
        assertEquals("MALFORMED_JSON", reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldRejectSingleEventOverTheEventLimitWith413EventTooLargeAndNothingSent() {
        GatewayHarness.Reply reply = post("/v1/track", EventCodec.encode(trackWithPadding((int) MAX_EVENT)));

        assertEquals(413, reply.status(), reply.json().toString());
        assertEquals("EVENT_TOO_LARGE", reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldReportBatchItemOverTheEventLimitAndAcceptTheOthers() {
        ObjectNode big = Payloads.item("track", "m1");
        big.putObject("properties").put("padding", "A".repeat((int) MAX_EVENT));
        JsonNode batch = Payloads.batch(Payloads.item("track", "m0"), big, Payloads.item("track", "m2"));

        GatewayHarness.Reply reply = post("/v1/batch", EventCodec.encode(batch));

        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(2, reply.json().get("accepted").asInt());
        assertEquals(1, reply.json().get("rejected").get(0).get("index").asInt());
        assertEquals("EVENT_TOO_LARGE", reply.json().get("rejected").get(0).get("code").asText());
        assertEquals(java.util.List.of("m0", "m2"), LOG.entries().stream().map(e -> e.envelope().eventId()).toList());
    }

    @Test
    void shouldRejectRequestOverTheRequestLimitWith413RequestTooLargeAndNothingSent() {
        ObjectNode[] items = new ObjectNode[10];
        for (int i = 0; i < items.length; i++) {
            items[i] = Payloads.item("track", "m" + i);
            items[i].putObject("properties").put("padding", "A".repeat(1000));
        }
        byte[] body = EventCodec.encode(Payloads.batch(items));
        assertTrue(body.length > MAX_REQUEST);

        GatewayHarness.Reply reply = post("/v1/batch", body);

        assertEquals(413, reply.status(), reply.json().toString());
        assertEquals("REQUEST_TOO_LARGE", reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldRejectGzipBombWith413RequestTooLargeAndNothingSent() {
        // Given 4 MB of JSON that gzips to a few KB: under the limit compressed, far over it inflated
        byte[] inflated = EventCodec.encode(trackWithPadding(4 * 1024 * 1024));
        byte[] bomb = GatewayHarness.gzip(inflated);
        assertTrue(bomb.length < MAX_REQUEST, "compressed size " + bomb.length);

        GatewayHarness.Reply reply = post("/v1/track", bomb, "Content-Encoding", "gzip");

        assertEquals(413, reply.status(), reply.json().toString());
        assertEquals("REQUEST_TOO_LARGE", reply.errorCode());
        assertTrue(reply.json().path("error").path("message").asText().endsWith("when decompressed"), reply.json().toString());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldRejectCompressedBodyOverTheLimitBeforeInflatingIt() {
        // Given incompressible data: its gzip is itself larger than the limit
        byte[] noise = new byte[(int) MAX_REQUEST * 2];
        new Random(7).nextBytes(noise);
        String json = "{\"userId\":\"u\",\"event\":\"x\",\"properties\":{\"p\":\"" + java.util.Base64.getEncoder().encodeToString(noise) + "\"}}";
        byte[] gz = GatewayHarness.gzip(json.getBytes(StandardCharsets.UTF_8));
        assertTrue(gz.length > MAX_REQUEST);

        GatewayHarness.Reply reply = post("/v1/track", gz, "Content-Encoding", "gzip");

        assertEquals(413, reply.status(), reply.json().toString());
        assertEquals("REQUEST_TOO_LARGE", reply.errorCode());
        assertFalse(reply.json().path("error").path("message").asText().contains("decompressed"), reply.json().toString());
        assertEquals(0, LOG.entries().size());
    }
}
