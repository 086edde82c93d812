package io.beacon.abtest.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sample of the "evalCondition" cases of GrowthBook's spec suite plus segment targeting. */
class ConditionTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static boolean eval(String condition, String attributes) throws Exception {
        return Condition.of(M.readTree(condition), null).matches(M.readTree(attributes));
    }

    @Test
    void shouldEvaluateTheSpecCases() throws Exception {
        String santa = "{\"$and\":[{\"father.age\":{\"$gt\":65}},{\"$or\":[{\"bday\":{\"$regex\":\"-12-25$\"}},{\"name\":\"santa\"}]}]}";
        assertTrue(eval(santa, "{\"name\":\"santa\",\"bday\":\"1980-12-25\",\"father\":{\"age\":70}}"));
        assertFalse(eval(santa, "{\"name\":\"santa\",\"bday\":\"1980-12-25\",\"father\":{\"age\":65}}"));
        assertTrue(eval("{\"$not\":{\"name\":\"hello\"}}", "{\"name\":\"world\"}"));
        assertTrue(eval("{\"pets.dog.name\":{\"$exists\":false}}", "{\"hello\":\"world\"}"));
        assertTrue(eval("{\"tags\":{\"$in\":[\"a\",\"b\"]}}", "{\"tags\":[\"d\",\"e\",\"a\"]}"));
        assertFalse(eval("{\"tags\":{\"$nin\":[\"a\",\"b\"]}}", "{\"tags\":[\"d\",\"b\",\"f\"]}"));
        assertFalse(eval("{\"num\":{\"$in\":1}}", "{\"num\":1}"));
        assertTrue(eval("{\"nums\":{\"$elemMatch\":{\"$gt\":10}}}", "{\"nums\":[0,5,-20,15]}"));
        assertTrue(eval("{\"age\":{\"$gt\":-10,\"$lt\":10,\"$gte\":-9,\"$lte\":9,\"$ne\":10}}", "{}"));
        assertTrue(eval("{\"n\":{\"$gt\":5,\"$lt\":10}}", "{\"n\":\"8\"}"));
        assertFalse(eval("{\"word\":{\"$gt\":\"alphabet\",\"$lt\":\"zebra\"}}", "{\"word\":\"AZL\"}"));
        assertFalse(eval("{\"address.state\":\"CA\"}", "{\"address\":null}"));
        assertTrue(eval("{\"a\":{\"$type\":\"null\"}}", "{\"a\":null}"));
        assertTrue(eval("{\"$or\":[]}", "{}"));
    }

    @Test
    void shouldRequireMembershipInOneOfTheTargetedSegments() throws Exception {
        Condition c = Condition.of(new Targeting(null, List.of("power_users", "beta")));
        JsonNode in = M.readTree("{\"user_id\":\"u\",\"segments\":[\"x\",\"beta\"]}");
        JsonNode out = M.readTree("{\"user_id\":\"u\",\"segments\":[\"x\"]}");
        assertTrue(c.matches(in));
        assertFalse(c.matches(out));
        assertFalse(c.matches(M.readTree("{\"user_id\":\"u\"}")));
    }
}
