package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the event log cannot take events, clients get 503 with Retry-After (and retry later). */
class EventLogFailureTest {
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.serve(GatewayHarness.defaultSettings().withAppendTimeout(Duration.ofMillis(300)), LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
    }

    private static void assertServiceUnavailable(GatewayHarness.Reply reply) {
        assertEquals(503, reply.status(), reply.json().toString());
        assertEquals("SERVICE_UNAVAILABLE", reply.errorCode());
        assertEquals("10", reply.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheLogIsUnavailable() {
        LOG.mode(RecordingEventLog.Mode.UNAVAILABLE);

        assertServiceUnavailable(gateway.post("/v1/track", Payloads.track()));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheLogDoesNotAnswerWithinTheAppendTimeout() {
        LOG.mode(RecordingEventLog.Mode.HANG);

        assertServiceUnavailable(gateway.post("/v1/track", Payloads.track()));
    }

    @Test
    void shouldAnswer503ForABatchWhenTheLogIsUnavailable() {
        LOG.mode(RecordingEventLog.Mode.UNAVAILABLE);

        assertServiceUnavailable(gateway.post("/v1/batch", Payloads.batch(Payloads.item("track", "m0"))));
    }

    @Test
    void shouldStillAnswer400ForBadInputWhileTheLogIsUnavailable() {
        LOG.mode(RecordingEventLog.Mode.UNAVAILABLE);
        var body = Payloads.track();
        body.remove("event");

        assertEquals(400, gateway.post("/v1/track", body).status());
    }
}
