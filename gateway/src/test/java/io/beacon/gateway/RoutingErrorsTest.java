package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.EventCodec;
import io.beacon.gateway.runtime.Gateway;
import java.net.http.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unknown paths, wrong methods and genuine bugs answer JSON; the route composes with others. */
class RoutingErrorsTest extends AllDirectives {
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static GatewayHarness server;

    @BeforeAll
    static void start() throws Exception {
        Gateway gateway = new Gateway(GatewayHarness.defaultSettings(), StaticWriteKeys.of(GatewayHarness.WRITE_KEY, GatewayHarness.PROJECT), LOG);
        // As the platform will: the collection routes next to other routes in one server
        RoutingErrorsTest d = new RoutingErrorsTest();
        server = GatewayHarness.serve(d.concat(gateway.route(), d.path("health", () -> d.complete("ok"))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
        LOG.mode(RecordingEventLog.Mode.ACK);
    }

    @Test
    void shouldAnswerUnknownCollectionPathWithJson404() {
        GatewayHarness.Reply reply = server.post("/v1/purchase", Payloads.track());

        assertEquals(404, reply.status());
        assertEquals("NOT_FOUND", reply.errorCode());
    }

    @Test
    void shouldAnswerWrongMethodWithJson405AndAllowHeader() {
        GatewayHarness.Reply reply = server.send(HttpRequest.newBuilder(server.uri("/v1/track")).GET());

        assertEquals(405, reply.status());
        assertEquals("METHOD_NOT_ALLOWED", reply.errorCode());
        assertEquals("POST", reply.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void shouldLeavePathsOutsideV1ToTheOtherRoutes() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/health")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
    }

    @Test
    void shouldAnswerABugInTheEventLogWithJson500() {
        LOG.mode(RecordingEventLog.Mode.BUG);

        GatewayHarness.Reply reply = server.post("/v1/track", Payloads.track());

        assertEquals(500, reply.status());
        assertEquals("INTERNAL_ERROR", reply.errorCode());
    }

    @Test
    void shouldNeverAnswer5xxForGarbageInput() {
        byte[][] garbage = {new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, "null".getBytes(), "\"text\"".getBytes(), "{\"batch\":{}}".getBytes(),
                "[[[[[[]]]]]]".getBytes(), "{\"userId\":{\"a\":1},\"event\":[]}".getBytes()};
        for (String path : new String[] {"/v1/track", "/v1/batch", "/v1/alias"}) {
            for (byte[] body : garbage) {
                GatewayHarness.Reply reply = server.post(path, body, "Authorization", GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY));
                assertTrue(reply.status() >= 400 && reply.status() < 500, path + " " + new String(body) + " → " + reply.status() + " " + reply.json());
            }
        }
        assertEquals(0, LOG.entries().size());
        assertEquals(EventCodec.mapper().createObjectNode().put("success", true), server.post("/v1/track", Payloads.track()).json());
    }
}
