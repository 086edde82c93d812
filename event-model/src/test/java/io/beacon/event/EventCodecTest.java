package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static JsonNode json(String text) throws Exception {
        return EventCodec.mapper().readTree(text);
    }

    @Test
    void envelopeWithPreEncodedPayloadIsByteForByteTheRecordEncoding() throws Exception {
        JsonNode payload = json("{\"type\":\"track\",\"event\":\"Order \\\"Completed\\\"\",\"userId\":\"ü-1\","
                + "\"properties\":{\"revenue\":12.5,\"items\":[1,2,{\"a\":null}]},\"timestamp\":\"2026-11-25T10:00:00Z\"}");
        RawEnvelope full = new RawEnvelope("p1", "m-1", 1764064800123L, "10.0.0.1", "curl/8 \"quoted\"", WireFormat.SEGMENT, payload);
        RawEnvelope bare = new RawEnvelope("p1", "m-2", 5L, null, null, WireFormat.POSTHOG, payload);
        for (RawEnvelope envelope : new RawEnvelope[] {full, bare}) {
            byte[] fast = EventCodec.encodeEnvelope(envelope, EventCodec.encode(payload));
            assertArrayEquals(EventCodec.encode(envelope), fast, new String(fast));
            assertEquals(envelope, EventCodec.decodeEnvelope(fast));
        }
    }
}
