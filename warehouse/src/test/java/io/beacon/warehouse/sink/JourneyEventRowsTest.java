package io.beacon.warehouse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneyEventRowsTest {
    private static final long AT = 1_795_774_643_456L;

    @Test
    void shouldMapASendWithEveryColumnAndAnEntryWithEmptyStringsForWhatIsAbsent() {
        Map<String, Object> sent = JourneyEventRows.row(JourneyEventCodec.encodeBytes(new JourneyEvent("shop", "u1", "welcome", 2, 3, 5,
                JourneyEvent.Kind.SENT, "push", null, "push", "journey/welcome/v2/u1/3/push", AT, "e9")), 1_795_774_650_000L);
        assertEquals("shop", sent.get("project_id"));
        assertEquals("welcome", sent.get("journey_id"));
        assertEquals(2, sent.get("journey_version"));
        assertEquals("u1", sent.get("person_id"));
        assertEquals(3L, sent.get("entry"));
        assertEquals(5L, sent.get("seq"));
        assertEquals("sent", sent.get("kind"));
        assertEquals("push", sent.get("step_id"));
        assertEquals("", sent.get("reason"));
        assertEquals("push", sent.get("channel"));
        assertEquals("journey/welcome/v2/u1/3/push", sent.get("message_key"));
        assertEquals(1_795_774_643L, sent.get("at"));
        assertEquals(AT, sent.get("at_ms"));
        assertEquals("e9", sent.get("event_id"));
        assertEquals(1_795_774_650L, sent.get("inserted_at"));

        Map<String, Object> entered = JourneyEventRows.row(JourneyEventCodec.encodeBytes(new JourneyEvent("shop", "u1", "welcome", 1, 1, 0,
                JourneyEvent.Kind.ENTERED, null, null, null, null, 1_000, null)), 0);
        assertEquals("", entered.get("step_id"));
        assertEquals("", entered.get("message_key"));
        assertEquals("", entered.get("event_id"));
        assertEquals(1L, entered.get("at"));
    }

    @Test
    void shouldRefuseValuesThatAreNotJourneyEvents() {
        String ok = JourneyEventCodec.encode(new JourneyEvent("p", "u", "j", 1, 1, 0, JourneyEvent.Kind.ENTERED, null, null, null, null, 5, null));
        assertThrows(IllegalArgumentException.class, () -> JourneyEventRows.row(null, 0));
        assertThrows(IllegalArgumentException.class, () -> JourneyEventRows.row(bytes("{oops"), 0));
        assertThrows(IllegalArgumentException.class, () -> JourneyEventRows.row(bytes(ok.replace("\"entered\"", "\"joined\"")), 0));
        assertThrows(IllegalArgumentException.class, () -> JourneyEventRows.row(bytes(ok.replace("\"at_ms\":5", "\"at_ms\":-5")), 0));
        assertThrows(IllegalArgumentException.class, () -> JourneyEventRows.row(bytes(ok.replace("\"j\"", "\"\"")), 0));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
