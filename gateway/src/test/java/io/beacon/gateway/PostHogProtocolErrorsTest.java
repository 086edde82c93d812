package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.gateway.internal.posthog.RecordedRequest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broken PostHog requests get the 4xx PostHog clients expect (never a 5xx), outages 503 with Retry-After. */
class PostHogProtocolErrorsTest {
    private static PostHogClient client;

    @BeforeAll
    static void start() throws Exception {
        client = new PostHogClient(GatewayHarness.defaultSettings().withMaxRequestBytes(64 * 1024));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
    }

    @BeforeEach
    void reset() {
        client.log.clear();
        client.log.mode(RecordingEventLog.Mode.ACK);
    }

    @Test
    void shouldAnswer400ToTruncatedGzip() {
        RecordedRequest r = RecordedRequest.load("recorded/gzip-checkout-purchase-pageleave.json");

        assertError(400, "MALFORMED_JSON", client.replay(r.withBody(Arrays.copyOf(r.body(), r.body().length - 40))));
    }

    @Test
    void shouldAnswer400ToBadBase64() {
        RecordedRequest r = RecordedRequest.load("recorded/base64-form-autocapture.json");

        assertError(400, "MALFORMED_JSON", client.replay(r.withBody("data=%%%not-base64%%%".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void shouldAnswer400ToBadLz64() {
        RecordedRequest r = RecordedRequest.load("derived/lz64-form.json");

        assertError(400, "MALFORMED_JSON", client.replay(r.withBody("data=%E2%82%AC%E2%82%AC&compression=lz64".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void shouldAnswer400ToBadGetData() {
        RecordedRequest r = RecordedRequest.load("derived/get-data.json");

        assertError(400, "MALFORMED_JSON", client.replay(r, "/e/?data=bm90IGpzb24&ip=1"));
    }

    @Test
    void shouldAnswer413ToGzipBomb() {
        byte[] bomb = RecordedRequest.gzip(new byte[30 * 1024 * 1024]);

        assertError(413, "REQUEST_TOO_LARGE", client.replay(RecordedRequest.load("recorded/gzip-pageview.json").withBody(bomb)));
    }

    @Test
    void shouldAnswer413ToBase64OfGzipBomb() {
        byte[] bomb = RecordedRequest.gzip(new byte[4 * 1024 * 1024]);
        byte[] body = ("data=" + Base64.getEncoder().encodeToString(bomb)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(body.length < 64 * 1024, "the bomb itself is under the request limit: " + body.length);

        assertError(413, "REQUEST_TOO_LARGE", client.replay(RecordedRequest.load("recorded/base64-form-autocapture.json").withBody(body)));
    }

    @Test
    void shouldAnswer413ToOversizedBody() {
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) ' ');

        assertError(413, "REQUEST_TOO_LARGE", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(big)));
    }

    @Test
    void shouldAnswer414NotA5xxToAnOverlongGetUrl() {
        String data = Base64.getEncoder().encodeToString(new byte[8 * 1024]);

        PostHogClient.Reply reply = client.replay(RecordedRequest.load("derived/get-data.json"), "/e/?data=" + data);

        assertEquals(414, reply.status());
    }

    @Test
    void shouldAnswer401ToUnknownToken() {
        byte[] body = "{\"api_key\":\"wk_nope\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"u\"}]}".getBytes();

        assertError(401, "INVALID_WRITE_KEY", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer401ToMissingToken() {
        byte[] body = "{\"batch\":[{\"event\":\"e\",\"distinct_id\":\"u\"}]}".getBytes();

        assertError(401, "MISSING_WRITE_KEY", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer400ToEmptyBatch() {
        byte[] body = "{\"api_key\":\"wk_test\",\"batch\":[]}".getBytes();

        assertError(400, "EMPTY_BATCH", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer400ToMissingEventName() {
        byte[] body = "{\"api_key\":\"wk_test\",\"distinct_id\":\"u\",\"properties\":{}}".getBytes();

        assertError(400, "MISSING_EVENT_NAME", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer400ToMissingDistinctId() {
        byte[] body = "{\"api_key\":\"wk_test\",\"event\":\"e\"}".getBytes();

        assertError(400, "MISSING_USER_ID", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer400ToABatchWhoseEventsAreAllRefused() {
        byte[] body = "{\"api_key\":\"wk_test\",\"batch\":[{\"event\":\"a\"},{\"distinct_id\":\"u\"}]}".getBytes();

        assertError(400, "MISSING_USER_ID", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(body)));
    }

    @Test
    void shouldAnswer400ToEmptyBody() {
        assertError(400, "MALFORMED_JSON", client.replay(RecordedRequest.load("recorded/json-identify.json").withBody(new byte[0])));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaIsDown() {
        client.log.mode(RecordingEventLog.Mode.UNAVAILABLE);

        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-pageview.json"));

        assertError(503, "SERVICE_UNAVAILABLE", reply);
        assertEquals("10", reply.headers().firstValue("Retry-After").orElse(null));
        assertEquals(PostHogClient.BROWSER_ORIGIN, reply.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "errors carry CORS headers so the SDK sees the status and retries");
    }

    @Test
    void shouldAnswer405ToOtherMethods() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/e/")).PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertEquals(405, reply.status());
    }

    private static void assertError(int status, String code, PostHogClient.Reply reply) {
        assertEquals(status, reply.status(), String.valueOf(reply.json()));
        assertEquals(code, reply.errorCode(), String.valueOf(reply.json()));
    }
}
