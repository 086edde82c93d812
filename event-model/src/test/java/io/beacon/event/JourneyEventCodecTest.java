package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JourneyEventCodecTest {
    private static final long AT = 1_795_774_643_456L;

    @Test
    void shouldWriteTheTopicFormatAndReadItBack() throws Exception {
        JourneyEvent sent = new JourneyEvent("shop", "u:1", "welcome", 3, 2, 4, JourneyEvent.Kind.SENT, "push-1", null, "push",
                "journey/welcome/v3/u:1/2/push-1", AT, "evt-9");
        JourneyEvent exited = new JourneyEvent("shop", "u2", "welcome", 1, 1, 7, JourneyEvent.Kind.EXITED, "wait", "exit_criteria",
                null, null, AT, null);

        JsonNode j = new ObjectMapper().readTree(JourneyEventCodec.encode(sent));
        assertEquals("shop", j.path("project_id").asText());
        assertEquals("u:1", j.path("person_id").asText());
        assertEquals("welcome", j.path("journey_id").asText());
        assertEquals(3, j.path("journey_version").asInt());
        assertEquals(2, j.path("entry").asLong());
        assertEquals(4, j.path("seq").asLong());
        assertEquals("sent", j.path("kind").asText());
        assertEquals("push-1", j.path("step_id").asText());
        assertTrue(j.get("reason").isNull());
        assertEquals("push", j.path("channel").asText());
        assertEquals("journey/welcome/v3/u:1/2/push-1", j.path("message_key").asText());
        assertEquals("2026-11-27T10:17:23.456Z", j.path("at").asText());
        assertEquals(AT, j.path("at_ms").asLong());
        assertEquals("evt-9", j.path("event_id").asText());

        assertEquals(sent, JourneyEventCodec.decode(JourneyEventCodec.encode(sent)));
        assertEquals(exited, JourneyEventCodec.decode(JourneyEventCodec.encodeBytes(exited)));
        assertEquals("shop:u2", exited.userKey());
    }

    @Test
    void shouldRoundTripEveryKindByItsLowerCaseWireName() {
        for (JourneyEvent.Kind k : JourneyEvent.Kind.values()) {
            JourneyEvent e = new JourneyEvent("p", "u", "j", 1, 1, 2, k, "s", null, null, null, AT, null);
            assertEquals(k, JourneyEventCodec.decode(JourneyEventCodec.encode(e)).kind());
            assertEquals(k.name().toLowerCase(java.util.Locale.ROOT), k.wireName());
        }
        assertEquals("step_entered", JourneyEvent.Kind.STEP_ENTERED.wireName());
    }

    @Test
    void shouldRefuseARecordThatIsNotAJourneyEventNamingTheField() {
        String good = JourneyEventCodec.encode(new JourneyEvent("p", "u", "j", 1, 1, 0, JourneyEvent.Kind.ENTERED, null, null, null,
                null, AT, "e"));
        assertEquals("kind is not a journey event kind: teleported",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"entered\"", "\"teleported\""))).getMessage());
        assertEquals("journey_version must be between 1 and 2147483647",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"journey_version\":1", "\"journey_version\":0"))).getMessage());
        assertEquals("seq must not be negative",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"seq\":0", "\"seq\":-1"))).getMessage());
        assertEquals("entry must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"entry\":1", "\"entry\":0"))).getMessage());
        assertEquals("step_id must be a string or null",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"step_id\":null", "\"step_id\":5"))).getMessage());
        assertEquals("person_id must be a string",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode(good.replace("\"person_id\":\"u\"", "\"person_id\":null"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode("{")).getMessage().startsWith("not JSON"));
        assertEquals("a journey event is a JSON object",
                assertThrows(IllegalArgumentException.class, () -> JourneyEventCodec.decode("[1]")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JourneyEvent("p", "u", "j", 0, 1, 0, JourneyEvent.Kind.ENTERED, null, null,
                null, null, AT, null));
    }
}
