package io.beacon.control.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The query side's checks, recorded (our own port): what RuleJson hands over for validation. */
    private final List<String> checked = new ArrayList<>();
    private final QueryChecks recording = new QueryChecks() {
        @Override
        public void filters(ArrayNode filters, String field) {
            checked.add("filters " + field + " " + filters);
        }

        @Override
        public void trait(ObjectNode condition, String field) {
            checked.add("trait " + field + " " + condition);
        }
    };

    @Test
    void shouldReadEveryQueryTimeNodeAndWriteTheSameJson() throws Exception {
        String[] rules = {
                "{\"event_count\":{\"event\":\"purchase\",\"filters\":[{\"property\":\"properties.plan\",\"op\":\"eq\",\"value\":\"pro\"}],"
                        + "\"days\":30,\"op\":\"gte\",\"value\":3}}",
                "{\"event_count\":{\"window\":\"7d\",\"op\":\"eq\",\"value\":0}}",
                "{\"sequence\":{\"first\":{\"event\":\"signup\"},\"then\":{\"event\":\"purchase\"},\"within\":\"P1D\",\"days\":14}}",
                "{\"not\":{\"trait\":{\"name\":\"plan\",\"op\":\"regex\",\"value\":\"^pro\"}}}",
                "{\"or\":[{\"last_seen_within\":\"PT36H\"},{\"trait\":{\"name\":\"age\",\"op\":\"between\",\"value\":[18,30]}}]}",
        };
        for (String r : rules) {
            Rule parsed = RuleJson.parseHistory(JSON.readTree(r), "definition", recording);
            assertEquals(JSON.readTree(r).toString(), RuleJson.toJson(parsed).toString(), r);
            assertEquals(parsed, RuleJson.parseHistory(RuleJson.toJson(parsed), "definition", recording), r);
        }
        assertTrue(checked.contains("filters definition.event_count.filters [{\"property\":\"properties.plan\",\"op\":\"eq\",\"value\":\"pro\"}]"),
                checked.toString());
        assertTrue(checked.contains("trait definition.not.trait {\"name\":\"plan\",\"op\":\"regex\",\"value\":\"^pro\"}"), checked.toString());
    }

    @Test
    void shouldReadTheSameRuleIntoTheSameTreeForBothEvaluators() throws Exception {
        JsonNode rule = JSON.readTree("{\"and\":[{\"event_count\":{\"event\":\"purchase\",\"window\":\"24h\",\"op\":\"gte\",\"value\":2}},"
                + "{\"not_seen_for\":\"P3D\"},{\"trait\":{\"name\":\"plan\",\"op\":\"in\",\"value\":[\"pro\",\"team\"]}}]}");
        assertEquals(RuleJson.parseRealtime(rule, "rule"), RuleJson.parseHistory(rule, "rule", recording));
    }

    @Test
    void shouldRefuseForEachEvaluatorWhatOnlyTheOtherEvaluatesNamingThePath() {
        assertRealtimeRefused("{\"or\":[{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":\"PT1H\","
                + "\"window\":\"7d\"}}]}", "rule.or[0].sequence");
        assertRealtimeRefused("{\"event_count\":{\"event\":\"a\",\"days\":3,\"op\":\"gte\",\"value\":1}}", "rule.event_count.days");
        assertRealtimeRefused("{\"event_count\":{\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}", "rule.event_count.event");
        assertRealtimeRefused("{\"trait\":{\"name\":\"plan\",\"op\":\"not_regex\",\"value\":\"x\"}}", "rule.trait.op");
        assertHistoryRefused("{\"not\":{\"score\":{\"name\":\"churn\",\"op\":\"gte\",\"value\":0.5}}}", "rule.not.score");
        assertHistoryRefused("{\"revenue\":{\"window\":\"30d\",\"op\":\"gte\",\"value\":10}}", "rule.revenue");
        assertHistoryRefused("{\"event_count\":{\"event\":\"a\",\"window\":\"7d\",\"days\":7,\"op\":\"gte\",\"value\":1}}",
                "rule.event_count.days");
        assertHistoryRefused("{\"event_count\":{\"event\":\"a\",\"days\":3661,\"op\":\"gte\",\"value\":1}}", "rule.event_count.days");
        assertHistoryRefused("{\"trait\":{\"name\":\"age\",\"op\":\"between\",\"value\":[30,18]}}", "rule.trait.value");
        assertHistoryRefused("{\"trait\":{\"name\":\"plan\",\"op\":\"in\",\"value\":[]}}", "rule.trait.value");
        assertHistoryRefused("{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\",\"x\":1},\"within\":\"PT1H\",\"days\":7}}",
                "rule.sequence.then.x");
        assertHistoryRefused("{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":\"soon\",\"days\":7}}",
                "rule.sequence.within");
    }

    @Test
    void shouldStartARollingWindowAtTheBucketNMinusOneBucketsBeforeNow() {
        long now = Instant.parse("2026-12-07T10:17:23Z").toEpochMilli();
        assertEquals(Instant.parse("2026-12-07T09:18:00Z").toEpochMilli(), Window.H1.startMs(now));
        assertEquals(Instant.parse("2026-12-06T11:00:00Z").toEpochMilli(), Window.H24.startMs(now));
        assertEquals(Instant.parse("2026-11-30T11:00:00Z").toEpochMilli(), Window.D7.startMs(now));
        assertEquals(Instant.parse("2026-11-08T00:00:00Z").toEpochMilli(), Window.D30.startMs(now));
        assertEquals(Long.MIN_VALUE, Window.ALL.startMs(now));
        assertEquals(Duration.ofDays(7).toMillis(), (long) Window.D7.buckets() * Window.D7.bucketMs());
    }

    private void assertRealtimeRefused(String rule, String field) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> RuleJson.parseRealtime(JSON.readTree(rule), "rule"));
        assertEquals(field, e.first().field(), e.getMessage());
    }

    private void assertHistoryRefused(String rule, String field) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> RuleJson.parseHistory(JSON.readTree(rule), "rule", recording));
        assertEquals(field, e.first().field(), e.getMessage());
    }
}
