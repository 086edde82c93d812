package io.beacon.dq.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.dq.Stages;
import io.beacon.dq.count.RecordCounting.Source;
import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordCountingTest {
    private static final long T = 1_796_119_234_567L; // 2026-12-01T10:00:34.567Z
    private static final long MINUTE = 1_796_119_200_000L;

    private static RawEnvelope envelope(String name, String id) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("event_name", name);
        p.put("event_id", id);
        p.put("user_id", "u1");
        p.put("event_time", T);
        return new RawEnvelope("shop", id, T, null, null, WireFormat.NATIVE, p);
    }

    private static byte[] raw(String name, String id) {
        return EventCodec.encode(envelope(name, id));
    }

    @Test
    void shouldCountAnAcceptedRecordUnderItsMappedNameInTheMinuteItWasReceived() {
        assertEquals(Optional.of(new CountKey("shop", Stages.ACCEPTED, "", "buy", MINUTE)),
                RecordCounting.count(Source.RAW, raw("buy", "e1"), 0));
    }

    @Test
    void shouldCountAWrittenEvent() {
        Event e = new Event("e1", "shop", EventType.TRACK, "buy", "u1", null, "s1", T, T, null, null, "web", null, null, null, null,
                null, null, null, null, null, null, null, null, null, "test", "1", null, null, Map.of(), Map.of(), List.of(), "u1");
        assertEquals(Optional.of(new CountKey("shop", Stages.WRITTEN, "", "buy", MINUTE)),
                RecordCounting.count(Source.VALID, EventCodec.encode(e), 0));
    }

    @Test
    void shouldCountADeadLetterByCodeInTheMinuteItsEventWasAccepted() {
        DeadLetter d = new DeadLetter(RejectionCode.BLOCKED_EVENT, "blocked", null, "validate", "shop", "e1", "raw", 0, 5,
                T + 90_000, raw("spam", "e1"));
        assertEquals(Optional.of(new CountKey("shop", Stages.DEAD_LETTERED, "BLOCKED_EVENT", "spam", MINUTE)),
                RecordCounting.count(Source.DLQ, EventCodec.encode(d), 0));
        DeadLetter unparsed = new DeadLetter(RejectionCode.UNPARSEABLE_RECORD, "not JSON", null, "parse", null, null, "raw", 0, 6,
                T + 90_000, "{".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(new CountKey("", Stages.DEAD_LETTERED, "UNPARSEABLE_RECORD", "", MINUTE + 120_000)),
                RecordCounting.count(Source.DLQ, EventCodec.encode(unparsed), 0), "counted when it was refused");
    }

    @Test
    void shouldCountFactsAndNotTheModulesOwnAlerts() {
        assertEquals(Optional.of(new CountKey("shop", Stages.DUPLICATE, "", "buy", MINUTE)), RecordCounting.count(Source.FACTS,
                DqFactCodec.encode(new DqFact("shop", DqFact.Stage.DUPLICATE, "duplicate", "buy", "e1", T)), 0));
        assertEquals(Optional.of(new CountKey("shop", Stages.GATEWAY_REJECTED, "MISSING_EVENT_NAME", "", MINUTE)),
                RecordCounting.count(Source.FACTS, DqFactCodec.encode(new DqFact("shop", DqFact.Stage.GATEWAY_REJECTED,
                        "MISSING_EVENT_NAME", "", "", T)), 0));
        assertEquals(Optional.empty(), RecordCounting.count(Source.RAW, raw("$dq_alert", "dq-1"), 0));
    }

    @Test
    void shouldCountAnUnreadableRecordAtItsTimestampSoNothingReadIsLeftOut() {
        assertEquals(Optional.of(new CountKey("", Stages.ACCEPTED, "", "", MINUTE)),
                RecordCounting.count(Source.RAW, "garbage".getBytes(StandardCharsets.UTF_8), T));
        assertEquals(Optional.empty(), RecordCounting.count(Source.RAW, null, T), "a tombstone is not an event");
    }

    @Test
    void shouldKeepAChunksOffsetsContiguousAndRefuseGoingBack() {
        Chunk c = new Chunk("raw", 2, 10);
        assertTrue(c.isEmpty());
        c.add(10, new CountKey("shop", Stages.ACCEPTED, "", "buy", MINUTE));
        c.add(12, null); // an offset moved past without a count
        c.add(13, new CountKey("shop", Stages.ACCEPTED, "", "buy", MINUTE));
        c.advanceTo(15); // a transaction marker
        c.advanceTo(14);
        assertEquals(15, c.nextOffset());
        assertEquals(Map.of(new CountKey("shop", Stages.ACCEPTED, "", "buy", MINUTE), 2L), c.counts());
        assertThrows(IllegalArgumentException.class, () -> c.add(14, null));
    }
}
