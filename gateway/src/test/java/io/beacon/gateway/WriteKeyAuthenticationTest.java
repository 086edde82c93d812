package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteKeyAuthenticationTest {
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

    private static void assertAcceptedForProject(GatewayHarness.Reply reply) {
        assertEquals(200, reply.status(), reply.json().toString());
        assertEquals(1, LOG.entries().size());
        assertEquals(GatewayHarness.PROJECT, LOG.entries().get(0).envelope().projectId());
    }

    private static void assertUnauthorized(GatewayHarness.Reply reply, String code) {
        assertEquals(401, reply.status(), reply.json().toString());
        assertEquals(code, reply.errorCode());
        assertEquals(0, LOG.entries().size());
    }

    @Test
    void shouldAuthenticateWithWriteKeyAsBasicAuthUserName() {
        assertAcceptedForProject(gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "Authorization", GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY)));
    }

    @Test
    void shouldAuthenticateWithWriteKeyHeader() {
        assertAcceptedForProject(gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "X-Beacon-Write-Key", GatewayHarness.WRITE_KEY));
    }

    @Test
    void shouldAuthenticateWithWriteKeyInTheBody() {
        ObjectNode body = Payloads.track().put("writeKey", GatewayHarness.WRITE_KEY);

        assertAcceptedForProject(gateway.post("/v1/track", EventCodec.encode(body)));
    }

    @Test
    void shouldRejectCallWithoutAnyWriteKeyWith401MissingWriteKey() {
        assertUnauthorized(gateway.post("/v1/track", EventCodec.encode(Payloads.track())), "MISSING_WRITE_KEY");
    }

    @Test
    void shouldRejectBatchWithoutAnyWriteKeyWith401MissingWriteKey() {
        assertUnauthorized(gateway.post("/v1/batch", EventCodec.encode(Payloads.batch(Payloads.item("track", "m0")))),
                "MISSING_WRITE_KEY");
    }

    @Test
    void shouldRejectUnknownBasicAuthKeyWith401InvalidWriteKey() {
        assertUnauthorized(gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "Authorization", GatewayHarness.basicAuth("wk_unknown")), "INVALID_WRITE_KEY");
    }

    @Test
    void shouldRejectUnknownHeaderKeyWith401InvalidWriteKey() {
        assertUnauthorized(gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "X-Beacon-Write-Key", "wk_unknown"), "INVALID_WRITE_KEY");
    }

    @Test
    void shouldRejectUnknownBodyKeyWith401InvalidWriteKey() {
        ObjectNode body = Payloads.track().put("writeKey", "wk_unknown");

        assertUnauthorized(gateway.post("/v1/track", EventCodec.encode(body)), "INVALID_WRITE_KEY");
    }

    @Test
    void shouldRejectUndecodableBasicCredentialsWith401InvalidWriteKey() {
        assertUnauthorized(gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "Authorization", "Basic %%%not-base64%%%"), "INVALID_WRITE_KEY");
    }

    @Test
    void shouldPreferTheHeaderKeyOverTheBodyKey() {
        ObjectNode body = Payloads.track().put("writeKey", "wk_unknown");

        assertAcceptedForProject(gateway.post("/v1/track", EventCodec.encode(body),
                "X-Beacon-Write-Key", GatewayHarness.WRITE_KEY));
    }

    @Test
    void shouldNotEchoTheWriteKeyInErrors() {
        GatewayHarness.Reply reply = gateway.post("/v1/track", EventCodec.encode(Payloads.track()),
                "X-Beacon-Write-Key", "wk_secret_unknown");

        assertEquals(-1, reply.json().toString().indexOf("wk_secret_unknown"));
    }
}
