package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SegmentChangeCodecTest {
    @Test
    void shouldWriteTheTopicFormatAndReadItBack() throws Exception {
        SegmentChange entered = new SegmentChange("shop", "u1", "buyers", 4, SegmentChange.Kind.ENTERED, 1_795_774_643_456L,
                SegmentChange.Cause.EVENT, "evt-1");
        SegmentChange exited = new SegmentChange("shop", "u:2", "active", 1, SegmentChange.Kind.EXITED, 1_795_774_643_000L,
                SegmentChange.Cause.TIME, null);

        JsonNode j = new ObjectMapper().readTree(SegmentChangeCodec.encode(entered));
        assertEquals("shop", j.path("project_id").asText());
        assertEquals("u1", j.path("person_id").asText());
        assertEquals("buyers", j.path("segment_id").asText());
        assertEquals(4, j.path("segment_version").asLong());
        assertEquals("entered", j.path("change").asText());
        assertEquals("2026-11-27T10:17:23.456Z", j.path("at").asText());
        assertEquals(1_795_774_643_456L, j.path("at_ms").asLong());
        assertEquals("event", j.path("cause").asText());
        assertEquals("evt-1", j.path("event_id").asText());
        JsonNode x = new ObjectMapper().readTree(SegmentChangeCodec.encodeBytes(exited));
        assertTrue(x.get("event_id").isNull());
        assertEquals("time", x.path("cause").asText());

        assertEquals(entered, SegmentChangeCodec.decode(SegmentChangeCodec.encode(entered)));
        assertEquals(exited, SegmentChangeCodec.decode(SegmentChangeCodec.encodeBytes(exited)));
        assertEquals("shop:u:2", exited.userKey());
    }

    @Test
    void directEncodingIsTheTreeEncodingCharForChar() {
        long[] times = {0L, 1_795_774_643_000L, 1_795_774_643_456L, 1_795_774_643_456L, 1_795_774_643_450L};
        for (long at : times) {
            for (String eventId : new String[] {null, "evt-\"quoted\"-ü"}) {
                SegmentChange c = new SegmentChange("shop\n", "u:2 \\", "active", 7, SegmentChange.Kind.EXITED, at,
                        eventId == null ? SegmentChange.Cause.TIME : SegmentChange.Cause.EVENT, eventId);
                assertEquals(SegmentChangeCodec.toJson(c).toString(), SegmentChangeCodec.encode(c));
                assertEquals(java.time.Instant.ofEpochMilli(at).toString(), SegmentChangeCodec.toJson(c).path("at").asText());
            }
        }
    }

    @Test
    void shouldRefuseMalformedChanges() {
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeCodec.decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeCodec.decode("[]"));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeCodec.decode(
                "{\"project_id\":\"p\",\"person_id\":\"u\",\"segment_id\":\"s\",\"segment_version\":1,\"change\":\"joined\",\"at_ms\":1,\"cause\":\"event\"}"));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeCodec.decode(
                "{\"project_id\":\"p\",\"person_id\":\"u\",\"segment_id\":\"s\",\"segment_version\":\"x\",\"change\":\"entered\",\"at_ms\":1,\"cause\":\"event\"}"));
    }
}
