package io.beacon.warehouse.sink.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.beacon.event.DeadLetter;
import io.beacon.event.RejectionCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void shouldRejectBytesThatAreNotJsonAsMalformedAndKeepThemVerbatim() {
        byte[] value = "not json {".getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = DeadLetters.undecodable(value, "boom", "beacon.events.valid", 2, 41, 1_000);

        assertEquals(RejectionCode.MALFORMED_JSON, letter.code());
        assertEquals("sink", letter.stage());
        assertEquals("beacon.events.valid", letter.sourceTopic());
        assertEquals(2, letter.partition());
        assertEquals(41, letter.offset());
        assertEquals(1_000, letter.failedAt());
        assertArrayEquals(value, letter.original());
        assertEquals("beacon.events.valid/2/41", DeadLetters.key(letter));
    }

    @Test
    void shouldReadProjectAndEventIdFromJsonThatIsNoValidEvent() {
        byte[] value = "{\"event_id\":\"e9\",\"project_id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = DeadLetters.undecodable(value, "missing type", "valid", 0, 5, 0);

        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals("e9", letter.eventId());
        assertEquals("p1", letter.projectId());
        assertEquals("e9", DeadLetters.key(letter));
    }

    @Test
    void shouldTurnATombstoneIntoADeadLetterWithEmptyOriginal() {
        DeadLetter letter = DeadLetters.undecodable(null, "no value", "valid", 0, 9, 0);

        assertEquals(RejectionCode.UNPARSEABLE_RECORD, letter.code());
        assertEquals(0, letter.original().length);
        assertNull(letter.eventId());
    }
}
