package io.beacon.analytics.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.control.audience.Rule;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CohortRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Rule parse(String json) throws Exception {
        return CohortRules.parse(JSON.readTree(json), "definition");
    }

    @Test
    void shouldReadTheFirstSpellingAndTheRuleLanguageIntoTheSameTree() throws Exception {
        assertEquals(parse("{\"event_count\":{\"event\":\"purchase\",\"filters\":[{\"property\":\"properties.plan\",\"value\":\"pro\"}],"
                        + "\"days\":30,\"op\":\"gte\",\"value\":3}}"),
                parse("{\"type\":\"performed\",\"event\":\"purchase\",\"filters\":[{\"property\":\"properties.plan\",\"value\":\"pro\"}],"
                        + "\"count\":3,\"days\":30}"));
        assertEquals(parse("{\"event_count\":{\"event\":\"purchase\",\"days\":7,\"op\":\"eq\",\"value\":0}}"),
                parse("{\"type\":\"not_performed\",\"event\":\"purchase\",\"days\":7}"));
        assertEquals(parse("{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":\"PT2H\",\"days\":14}}"),
                parse("{\"type\":\"sequence\",\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":{\"value\":2,\"unit\":\"hour\"},"
                        + "\"days\":14}"));
        assertEquals(parse("{\"not\":{\"trait\":{\"name\":\"plan\",\"op\":\"in\",\"value\":[\"pro\",\"team\"]}}}"),
                parse("{\"type\":\"not\",\"rule\":{\"type\":\"person_property\",\"property\":\"person.plan\",\"op\":\"in\","
                        + "\"value\":[\"pro\",\"team\"]}}"));
    }

    @Test
    void shouldRefuseWithTheFilterGrammarNamingTheRulesField() {
        assertField("{\"trait\":{\"name\":\"age\",\"op\":\"gt\",\"value\":\"ten\"}}", "definition.trait.value");
        assertField("{\"trait\":{\"name\":\"plan\",\"op\":\"regex\",\"value\":\"(\"}}", "definition.trait.value");
        assertField("{\"and\":[{\"event_count\":{\"event\":\"a\",\"filters\":[{\"property\":\"nowhere.x\"}],\"days\":7,\"op\":\"gte\","
                + "\"value\":1}}]}", "definition.and[0].event_count.filters[0].property");
        assertField("{\"score\":{\"name\":\"churn\",\"op\":\"gte\",\"value\":0.5}}", "definition.score");
        assertField("{\"event_count\":{\"event\":\"a\",\"window\":\"1w\",\"op\":\"gte\",\"value\":1}}", "definition.event_count.window");
    }

    @Test
    void shouldCompileRollingWindowsAndRecencyAtTheEvaluationInstant() throws Exception {
        Instant now = Instant.parse("2026-12-07T10:17:23Z");
        String sql = CohortSql.dynamic("p", parse("{\"and\":[{\"event_count\":{\"event\":\"a\",\"window\":\"24h\",\"op\":\"gte\",\"value\":2}},"
                + "{\"last_seen_within\":\"P1D\"},{\"event_count\":{\"event\":\"b\",\"window\":\"all\",\"op\":\"lt\",\"value\":5}}]}"), now,
                ZoneId.of("Europe/Berlin"));
        // the engine's 24h window at 10:17:23 starts at 11:00 yesterday (UTC buckets, whatever the project's zone)
        assertTrue(sql.contains("countIf(m0 = 1 AND t >= " + Instant.parse("2026-12-06T11:00:00Z").toEpochMilli() + ") AS k0"), sql);
        assertTrue(sql.contains("countIf(m1 = 1) AS k1"), sql);
        assertTrue(sql.contains("last_seen > " + (now.toEpochMilli() - 86_400_000L)), sql);
        assertTrue(sql.contains("(k1 < 5)"), sql);
    }

    private static void assertField(String json, String field) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> parse(json));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals("INVALID_QUERY", e.code());
    }
}
