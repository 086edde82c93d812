package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.gateway.internal.posthog.RecordedRequest;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS with a restricted origin list, and the start-up answers posthog-js needs (/flags, /decide, remote config). */
class PostHogCorsAndConfigTest {
    private static final String SHOP = "https://shop.example";
    private static PostHogClient client;

    @BeforeAll
    static void start() throws Exception {
        client = new PostHogClient(GatewayHarness.defaultSettings().withPostHog(new GatewaySettings.PostHog(List.of(SHOP))));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
    }

    @Test
    void shouldAnswerPreflightForAnAllowedOrigin() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/i/v0/e/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", SHOP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));

        assertEquals(204, reply.status());
        assertEquals(SHOP, reply.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(reply.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertEquals("content-type", reply.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
    }

    @Test
    void shouldRefuseAnOriginNotAllowed() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-identify.json"), "/e/", "Origin", "https://evil.example");

        assertEquals(403, reply.status());
        assertEquals("ORIGIN_NOT_ALLOWED", reply.errorCode());
        assertFalse(reply.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void shouldAllowTheServersOwnOrigin() {
        String own = client.uri("/").toString().replaceAll("/$", "");

        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-identify.json"), "/e/", "Origin", own);

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
    }

    @Test
    void shouldAcceptServerSideCallsWithoutOrigin() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/capture/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"wk_test\",\"event\":\"server\",\"distinct_id\":\"u1\"}")));

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
    }

    @Test
    void shouldAnswerFlagsWithNoFlags() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-flags.json"), "/flags/?v=2", "Origin", SHOP);

        assertEquals(200, reply.status());
        assertTrue(reply.json().get("flags").isEmpty());
        assertTrue(reply.json().get("featureFlags").isEmpty());
        assertFalse(reply.json().get("errorsWhileComputingFlags").asBoolean());
    }

    @Test
    void shouldAnswerLegacyDecide() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/base64-form-flags.json"), "/decide/?v=3", "Origin", SHOP);

        assertEquals(200, reply.status());
        assertFalse(reply.json().get("sessionRecording").asBoolean());
    }

    @Test
    void shouldServeRemoteConfigThatEnablesAutocaptureAndGzip() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/array/wk_test/config")).header("Origin", SHOP).GET());

        assertEquals(200, reply.status());
        assertFalse(reply.json().get("autocapture_opt_out").asBoolean());
        assertEquals("gzip-js", reply.json().get("supportedCompression").get(1).asText());
        assertFalse(reply.json().get("sessionRecording").asBoolean());
        assertFalse(reply.json().get("surveys").asBoolean());
    }

    @Test
    void shouldRefuseRemoteConfigOfUnknownToken() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/array/wk_nope/config")).GET());

        assertEquals(401, reply.status());
    }

    @Test
    void shouldLeaveOtherPathsToOtherRoutes() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/events")).GET());

        assertEquals(404, reply.status());
    }
}
