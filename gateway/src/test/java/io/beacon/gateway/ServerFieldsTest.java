package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerFieldsTest {
    private static final RecordingEventLog DIRECT_LOG = new RecordingEventLog();
    private static final RecordingEventLog PROXIED_LOG = new RecordingEventLog();
    private static GatewayHarness direct;
    private static GatewayHarness behindProxy;

    @BeforeAll
    static void start() throws Exception {
        direct = GatewayHarness.serve(GatewayHarness.defaultSettings(), DIRECT_LOG);
        behindProxy = GatewayHarness.serve(GatewayHarness.defaultSettings().withTrustForwardedFor(true), PROXIED_LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        direct.close();
        behindProxy.close();
    }

    @BeforeEach
    void reset() {
        DIRECT_LOG.clear();
        PROXIED_LOG.clear();
    }

    private static RawEnvelope send(GatewayHarness gateway, RecordingEventLog log, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = GatewayHarness.basicAuth(GatewayHarness.WRITE_KEY);
        System.arraycopy(headers, 0, all, 2, headers.length);
        GatewayHarness.Reply reply = gateway.post("/v1/track", EventCodec.encode(Payloads.track()), all);
        assertEquals(200, reply.status(), reply.json().toString());
        return log.entries().get(0).envelope();
    }

    @Test
    void shouldStampReceivedAtFromTheServerClock() {
        assertEquals(GatewayHarness.NOW.toEpochMilli(), send(direct, DIRECT_LOG).receivedAt());
    }

    @Test
    void shouldRecordTheUserAgentHeader() {
        assertEquals("analytics-node-next/6.0.0", send(direct, DIRECT_LOG, "User-Agent", "analytics-node-next/6.0.0").userAgent());
    }

    @Test
    void shouldUseTheConnectionAddressAsClientIp() {
        assertEquals("127.0.0.1", send(direct, DIRECT_LOG).ip());
    }

    @Test
    void shouldIgnoreForwardedForWhenNotConfiguredToTrustIt() {
        assertEquals("127.0.0.1", send(direct, DIRECT_LOG, "X-Forwarded-For", "203.0.113.7").ip());
    }

    @Test
    void shouldUseTheFirstForwardedForHopWhenConfiguredToTrustIt() {
        assertEquals("203.0.113.7", send(behindProxy, PROXIED_LOG, "X-Forwarded-For", "203.0.113.7, 10.0.0.2, 10.0.0.1").ip());
    }

    @Test
    void shouldFallBackToTheConnectionAddressWhenForwardedForIsNotAnIp() {
        assertEquals("127.0.0.1", send(behindProxy, PROXIED_LOG, "X-Forwarded-For", "unknown, 10.0.0.1").ip());
    }
}
