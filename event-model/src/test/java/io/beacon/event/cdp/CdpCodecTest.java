package io.beacon.event.cdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.SegmentChange;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CdpCodecTest {

    private static OutboxMessage message() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("person_id", "u1").put("segment_id", "vip");
        return new OutboxMessage("p1", "dst_a", "u1", "msg_x", MessageTypes.SEGMENT_ENTERED, 1_700_000_000_123L, data);
    }

    @Test
    void shouldRoundTripEveryRecordOfTheConnectorsTopics() {
        OutboxMessage m = message();
        assertEquals(m, CdpCodec.decodeMessage(CdpCodec.encode(m)));
        RetryEntry r = new RetryEntry(m, 3, 1_700_000_005_000L, 42, false, "HTTP 503");
        assertEquals(r, CdpCodec.decodeRetry(CdpCodec.encode(r)));
        RetryEntry done = RetryEntry.done(m, 42);
        assertEquals(done, CdpCodec.decodeRetry(CdpCodec.encode(done)));
        CdpDeadLetter d = new CdpDeadLetter(m, 8, ErrorClass.EXHAUSTED, "timeout after 15 s", 0, 1_700_000_100_000L);
        assertEquals(d, CdpCodec.decodeDeadLetter(CdpCodec.encode(d)));
        DeliveryAttempt a = new DeliveryAttempt("p1", "dst_a", "u1", "msg_x", m.type(), 2, 1_700_000_001_000L, 429,
                DeliveryAttempt.Outcome.THROTTLED, 12, "HTTP 429", "slow down");
        assertEquals(a, CdpCodec.decodeAttempt(CdpCodec.encode(a)));
    }

    @Test
    void shouldKeyOnePersonsMessagesToOneDestinationTogether() {
        assertEquals("p1:dst_a:u1", message().key());
    }

    @Test
    void shouldTruncateResponseBodiesInTheDeliveryLog() {
        String big = "x".repeat(CdpCodec.MAX_RESPONSE_BODY + 500);
        DeliveryAttempt a = new DeliveryAttempt("p1", "dst_a", "u1", "msg_x", "t", 1, 1, 500,
                DeliveryAttempt.Outcome.RETRY, 5, "HTTP 500", big);
        assertEquals(CdpCodec.MAX_RESPONSE_BODY, CdpCodec.decodeAttempt(CdpCodec.encode(a)).responseBody().length());
    }

    @Test
    void shouldRefuseRecordsThatAreNotConnectorsJson() {
        assertThrows(IllegalArgumentException.class, () -> CdpCodec.decodeMessage("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> CdpCodec.decodeMessage("{\"project_id\":1}".getBytes(StandardCharsets.UTF_8)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CdpCodec.decodeDeadLetter(
                ("{\"message\":" + CdpCodec.toJson(message()) + ",\"attempts\":1,\"error_class\":\"nope\",\"last_status\":0,\"failed_at_ms\":1}")
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("error_class"), e.getMessage());
    }

    @Test
    void shouldDeriveTheSameIdempotencyKeyFromTheSameCauseAndDifferentOnesOtherwise() {
        SegmentChange c = new SegmentChange("p1", "u1", "vip", 3, SegmentChange.Kind.ENTERED, 1_000, SegmentChange.Cause.EVENT, "e1");
        String k = IdempotencyKeys.ofSegmentChange("dst_a", c);
        assertEquals(k, IdempotencyKeys.ofSegmentChange("dst_a", c));
        assertTrue(k.matches("msg_[a-z2-7]{26}"), k);
        assertNotEquals(k, IdempotencyKeys.ofSegmentChange("dst_b", c));
        assertNotEquals(k, IdempotencyKeys.ofSegmentChange("dst_a",
                new SegmentChange("p1", "u1", "vip", 3, SegmentChange.Kind.EXITED, 1_000, SegmentChange.Cause.EVENT, "e1")));
        assertNotEquals(IdempotencyKeys.of("x", "d", "ab", "c"), IdempotencyKeys.of("x", "d", "a", "bc"));
        assertEquals(IdempotencyKeys.ofEvent("dst_a", "p1", "e1"), IdempotencyKeys.ofEvent("dst_a", "p1", "e1"));
    }
}
