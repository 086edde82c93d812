package io.beacon.streams.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.beacon.event.DeadLetter;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import io.beacon.streams.runtime.Envelopes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawRecordIngestTest {
    private static final RecordSource SOURCE = new RecordSource("beacon.events.raw", 2, 41L);
    private static final long NOW = 1_800_000_000_000L;

    private static DeadLetter refused(byte[] value) {
        return assertInstanceOf(IngestResult.Refused.class, RawRecordIngest.ingest(value, SOURCE, NOW)).deadLetter();
    }

    @Test
    void shouldAcceptValidEnvelopeAsCanonicalEvent() {
        IngestResult result = RawRecordIngest.ingest(Envelopes.bytes(Envelopes.track("p1", "e1", "u1")), SOURCE, NOW);

        IngestResult.Accepted accepted = assertInstanceOf(IngestResult.Accepted.class, result);
        assertEquals("e1", accepted.event().eventId());
        assertEquals("p1:u1", accepted.event().partitionKey());
    }

    @Test
    void shouldRefuseNullValueAtParseStageWithEmptyOriginal() {
        DeadLetter letter = refused(null);

        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals(RawRecordIngest.STAGE_PARSE, letter.stage());
        assertArrayEquals(new byte[0], letter.original());
        assertEquals(NOW, letter.failedAt());
    }

    @Test
    void shouldRefuseJsonArrayAtParseStageKeepingSourceCoordinates() {
        byte[] bytes = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = refused(bytes);

        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals("beacon.events.raw", letter.sourceTopic());
        assertEquals(2, letter.partition());
        assertEquals(41L, letter.offset());
        assertArrayEquals(bytes, letter.original());
        assertNull(letter.projectId());
    }

    @Test
    void shouldRefuseEnvelopeWithUnknownWireFormatAtParseStage() {
        byte[] bytes = ("{\"project_id\":\"p1\",\"event_id\":\"e1\",\"received_at\":1,\"format\":\"protobuf\","
                + "\"payload\":{}}").getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = refused(bytes);

        assertEquals(RawRecordIngest.STAGE_PARSE, letter.stage());
        assertEquals("p1", letter.projectId());
        assertEquals("e1", letter.eventId());
    }

    @Test
    void shouldRefuseNativeEventWithoutUserAtMapStageWithMapperCode() {
        RawEnvelope envelope = new RawEnvelope("p1", "e1", 1L, null, null, WireFormat.NATIVE,
                EventCodec.mapper().createObjectNode().put("event_name", "Played"));
        DeadLetter letter = refused(EventCodec.encode(envelope));

        assertEquals(RejectionCode.MISSING_USER_ID, letter.code());
        assertEquals(RawRecordIngest.STAGE_MAP, letter.stage());
        assertEquals("user_id", letter.field());
        assertEquals("e1", letter.eventId());
    }

    @Test
    void shouldKeyRefusalWithoutEventIdBySourceCoordinates() {
        IngestResult.Refused refused = assertInstanceOf(IngestResult.Refused.class,
                RawRecordIngest.ingest("nope".getBytes(StandardCharsets.UTF_8), SOURCE, NOW));

        assertEquals("beacon.events.raw-2@41", refused.key());
    }
}
