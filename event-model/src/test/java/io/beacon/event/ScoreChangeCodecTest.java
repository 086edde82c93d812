package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ScoreChangeCodecTest {
    private static final long AT = 1_795_774_643_456L; // 2026-11-27T10:17:23.456Z

    private static ScoreChange up() {
        return new ScoreChange(ScoreChange.idOf("shop", "u1", "churn_risk", 1), "shop", "u1", "churn_risk", 0.81, 0.64,
                "churn-logistic-20261127-101500-abcd1234", 0.7, ScoreChange.Direction.UP, AT, ScoreChange.Cause.EVENT, "evt-9");
    }

    @Test
    void shouldWriteTheTopicFormatAndReadItBack() throws Exception {
        ScoreChange up = up();
        ScoreChange first = new ScoreChange(ScoreChange.idOf("shop", "u:2", "ltv_predicted", 3), "shop", "u:2", "ltv_predicted",
                120.5, null, "ltv-cart-20261127-101500-00ff00ff", 100, ScoreChange.Direction.DOWN, AT - 456, ScoreChange.Cause.TIME, null);

        JsonNode j = new ObjectMapper().readTree(ScoreChangeCodec.encode(up));
        assertEquals(up.id(), j.path("id").asText());
        assertEquals("shop", j.path("project_id").asText());
        assertEquals("u1", j.path("person_id").asText());
        assertEquals("churn_risk", j.path("score").asText());
        assertEquals(0.81, j.path("value").asDouble());
        assertEquals(0.64, j.path("previous_value").asDouble());
        assertEquals("churn-logistic-20261127-101500-abcd1234", j.path("model_version").asText());
        assertEquals(0.7, j.path("threshold").asDouble());
        assertEquals("up", j.path("direction").asText());
        assertEquals("2026-11-27T10:17:23.456Z", j.path("at").asText());
        assertEquals(AT, j.path("at_ms").asLong());
        assertEquals("event", j.path("cause").asText());
        assertEquals("evt-9", j.path("event_id").asText());
        JsonNode x = new ObjectMapper().readTree(ScoreChangeCodec.encodeBytes(first));
        assertTrue(x.get("previous_value").isNull());
        assertTrue(x.get("event_id").isNull());
        assertEquals("down", x.path("direction").asText());
        assertEquals("time", x.path("cause").asText());

        assertEquals(up, ScoreChangeCodec.decode(ScoreChangeCodec.encode(up)));
        assertEquals(first, ScoreChangeCodec.decode(ScoreChangeCodec.encodeBytes(first)));
        assertEquals("shop:u:2", first.userKey());
    }

    @Test
    void shouldDeriveTheSameIdForTheSameCrossingAndAnotherForTheNext() {
        String id = ScoreChange.idOf("shop", "u1", "churn_risk", 1);
        assertEquals(32, id.length());
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(id, ScoreChange.idOf("shop", "u1", "churn_risk", 1));
        assertNotEquals(id, ScoreChange.idOf("shop", "u1", "churn_risk", 2));
        assertNotEquals(id, ScoreChange.idOf("shop", "u1", "ltv_predicted", 1));
        assertNotEquals(id, ScoreChange.idOf("shop", "u2", "churn_risk", 1));
    }

    @Test
    void shouldRefuseRecordsThatAreNotScoreChanges() {
        String good = ScoreChangeCodec.encode(up());
        assertEquals("direction must be up or down",
                assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode(good.replace("\"up\"", "\"sideways\""))).getMessage());
        assertEquals("cause must be event or time",
                assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode(good.replace("\"event\"", "\"cron\""))).getMessage());
        assertEquals("value must be a number",
                assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode(good.replace("\"value\":0.81", "\"value\":\"high\""))).getMessage());
        assertEquals("model_version must be a string",
                assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode(good.replace("\"model_version\"", "\"version\""))).getMessage());
        assertEquals("a score change is a JSON object",
                assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode("[1]")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreChangeCodec.decode("{")).getMessage().startsWith("not JSON"));
    }

    @Test
    void shouldNameTheTopicUnderThePrefix() {
        assertEquals("beacon.score.changes", TopicNames.defaults().scoreChanges());
        assertEquals("t1.beacon.score.changes", TopicNames.withPrefix("t1.").scoreChanges());
    }
}
