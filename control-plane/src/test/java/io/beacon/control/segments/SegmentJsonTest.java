package io.beacon.control.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.TraitOp;
import io.beacon.control.audience.Window;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Rule rule(String text) {
        return SegmentJson.parseRule(json(text), "rule");
    }

    /** The field the first error names. */
    private static String errorField(String ruleJson) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> rule(ruleJson));
        return e.first().field();
    }

    private static String bodyErrorField(String body) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> SegmentJson.parseBody(json(body), "shop", null));
        return e.first().field();
    }

    // ---- every rule kind -----------------------------------------------------------------------

    @Test
    void shouldParseTheRepeatBuyersExample() {
        SegmentDefinition d = SegmentJson.parseBody(json("""
                {"id":"repeat","name":"Repeat buyers","rule":{"and":[
                  {"event_count":{"event":"purchase","window":"7d","op":"gte","value":2}},
                  {"not":{"not_seen_for":"P3D"}}]}}"""), "shop", null);

        assertEquals("shop", d.projectId());
        assertEquals("repeat", d.id());
        assertEquals("Repeat buyers", d.name());
        assertNull(d.description());
        assertEquals(new Rule.And(List.of(
                new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2),
                new Rule.Not(new Rule.NotSeenFor(Duration.ofDays(3))))), d.rule());
    }

    @Test
    void shouldParseEveryLeafKind() {
        assertEquals(new Rule.EventCount("Song Played", Window.H1, Cmp.LT, 0), rule("{\"event_count\":{\"event\":\"Song Played\",\"window\":\"1h\",\"op\":\"lt\",\"value\":0}}"));
        assertEquals(new Rule.LastSeenWithin(Duration.ofHours(24)), rule("{\"last_seen_within\":\"PT24H\"}"));
        assertEquals(new Rule.NotSeenFor(Duration.ofDays(30)), rule("{\"not_seen_for\":\"P30D\"}"));
        assertEquals(new Rule.TraitCondition("plan", TraitOp.EQ, TextNode.valueOf("pro")), rule("{\"trait\":{\"name\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}}"));
        assertEquals(new Rule.TraitCondition("email", TraitOp.IS_SET, null), rule("{\"trait\":{\"name\":\"email\",\"op\":\"is_set\"}}"));
        assertEquals(new Rule.ScoreCondition("churn", Cmp.GT, 0.75), rule("{\"score\":{\"name\":\"churn\",\"op\":\"gt\",\"value\":0.75}}"));
        assertEquals(new Rule.RevenueCondition(Window.D30, Cmp.GTE, 100), rule("{\"revenue\":{\"window\":\"30d\",\"op\":\"gte\",\"value\":100}}"));
        assertEquals(new Rule.Or(List.of(new Rule.EventCount("a", Window.ALL, Cmp.EQ, 3), new Rule.EventCount("b", Window.H24, Cmp.LTE, 1))),
                rule("{\"or\":[{\"event_count\":{\"event\":\"a\",\"window\":\"all\",\"op\":\"eq\",\"value\":3}},"
                        + "{\"event_count\":{\"event\":\"b\",\"window\":\"24h\",\"op\":\"lte\",\"value\":1}}]}"));
    }

    @Test
    void shouldParseEveryTraitOperatorTheEngineEvaluates() {
        for (TraitOp op : TraitOp.values()) {
            if (!op.realtime()) {
                continue;
            }
            String value = switch (op) {
                case IS_SET, IS_NOT_SET -> "";
                case GT, LT, GTE, LTE -> ",\"value\":10";
                case BETWEEN -> ",\"value\":[1,2]";
                case IN, NOT_IN -> ",\"value\":[\"x\",3]";
                default -> ",\"value\":\"x\"";
            };
            Rule r = rule("{\"trait\":{\"name\":\"t\",\"op\":\"" + op.wireName() + "\"" + value + "}}");
            assertEquals(op, ((Rule.TraitCondition) r).op());
        }
    }

    @Test
    void shouldRefuseWhatOnlyCohortsEvaluateNamingTheField() {
        assertRefused("{\"trait\":{\"name\":\"t\",\"op\":\"regex\",\"value\":\"^a\"}}", "rule.trait.op");
        assertRefused("{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":\"PT1H\",\"window\":\"7d\"}}",
                "rule.sequence");
        assertRefused("{\"event_count\":{\"event\":\"a\",\"days\":7,\"op\":\"gte\",\"value\":1}}", "rule.event_count.days");
        assertRefused("{\"event_count\":{\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}", "rule.event_count.event");
        assertRefused("{\"and\":[{\"event_count\":{\"event\":\"a\",\"filters\":[{\"property\":\"properties.x\",\"op\":\"eq\","
                + "\"value\":1}],\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}]}", "rule.and[0].event_count.filters");
    }

    private static void assertRefused(String ruleJson, String field) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> rule(ruleJson));
        assertEquals(field, e.first().field(), e.getMessage());
    }

    @Test
    void shouldWriteTheSameJsonItReads() {
        String[] rules = {
                "{\"and\":[{\"event_count\":{\"event\":\"purchase\",\"window\":\"7d\",\"op\":\"gte\",\"value\":2}},{\"not\":{\"not_seen_for\":\"P3D\"}}]}",
                "{\"or\":[{\"last_seen_within\":\"PT36H\"},{\"trait\":{\"name\":\"plan\",\"op\":\"neq\",\"value\":true}}]}",
                "{\"score\":{\"name\":\"ltv\",\"op\":\"lte\",\"value\":12.5}}",
                "{\"revenue\":{\"window\":\"all\",\"op\":\"gt\",\"value\":0.0}}",
                "{\"trait\":{\"name\":\"age\",\"op\":\"is_not_set\"}}",
        };
        for (String r : rules) {
            Rule parsed = rule(r);
            assertEquals(json(r).toString(), SegmentJson.toJson(parsed).toString(), r);
            assertEquals(parsed, SegmentJson.parseRule(SegmentJson.toJson(parsed), "rule"));
        }
    }

    // ---- errors name the JSON path -------------------------------------------------------------

    @Test
    void shouldNameTheWindowOfTheSecondChildWhenItIsUnknown() {
        assertEquals("rule.and[1].event_count.window", errorField("{\"and\":[{\"last_seen_within\":\"P1D\"},"
                + "{\"event_count\":{\"event\":\"purchase\",\"window\":\"2w\",\"op\":\"gte\",\"value\":2}}]}"));
    }

    @Test
    void shouldRejectEachMalformedLeafNamingItsField() {
        assertEquals("rule.event_count.op", errorField("{\"event_count\":{\"event\":\"p\",\"window\":\"7d\",\"op\":\"ge\",\"value\":2}}"));
        assertEquals("rule.event_count.value", errorField("{\"event_count\":{\"event\":\"p\",\"window\":\"7d\",\"op\":\"gte\",\"value\":-1}}"));
        assertEquals("rule.event_count.value", errorField("{\"event_count\":{\"event\":\"p\",\"window\":\"7d\",\"op\":\"gte\",\"value\":1.5}}"));
        assertEquals("rule.event_count.value", errorField("{\"event_count\":{\"event\":\"p\",\"window\":\"7d\",\"op\":\"gte\"}}"));
        assertEquals("rule.event_count.event", errorField("{\"event_count\":{\"event\":\" padded\",\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}"));
        assertEquals("rule.event_count.event", errorField("{\"event_count\":{\"event\":\"\",\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}"));
        assertEquals("rule.event_count.event", errorField("{\"event_count\":{\"event\":7,\"window\":\"7d\",\"op\":\"gte\",\"value\":1}}"));
        assertEquals("rule.event_count.window", errorField("{\"event_count\":{\"event\":\"p\",\"op\":\"gte\",\"value\":1}}"));
        assertEquals("rule.event_count.color", errorField("{\"event_count\":{\"event\":\"p\",\"window\":\"7d\",\"op\":\"gte\",\"value\":1,\"color\":1}}"));
        assertEquals("rule.event_count", errorField("{\"event_count\":[1]}"));
        assertEquals("rule.not_seen_for", errorField("{\"not_seen_for\":\"3 days\"}"));
        assertEquals("rule.not_seen_for", errorField("{\"not_seen_for\":3}"));
        assertEquals("rule.last_seen_within", errorField("{\"last_seen_within\":\"PT0S\"}"));
        assertEquals("rule.last_seen_within", errorField("{\"last_seen_within\":\"-P1D\"}"));
        assertEquals("rule.last_seen_within", errorField("{\"last_seen_within\":\"P4000D\"}"));
        assertEquals("rule.trait.op", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"like\",\"value\":\"x\"}}"));
        assertEquals("rule.trait.value", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"eq\"}}"));
        assertEquals("rule.trait.value", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"is_set\",\"value\":1}}"));
        assertEquals("rule.trait.value", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"contains\",\"value\":1}}"));
        assertEquals("rule.trait.value", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"eq\",\"value\":{\"a\":1}}}"));
        assertEquals("rule.trait.value", errorField("{\"trait\":{\"name\":\"t\",\"op\":\"gt\",\"value\":true}}"));
        assertEquals("rule.trait.name", errorField("{\"trait\":{\"op\":\"is_set\"}}"));
        assertEquals("rule.score.value", errorField("{\"score\":{\"name\":\"churn\",\"op\":\"gt\",\"value\":\"high\"}}"));
        assertEquals("rule.score.name", errorField("{\"score\":{\"name\":\"\",\"op\":\"gt\",\"value\":1}}"));
        assertEquals("rule.revenue.window", errorField("{\"revenue\":{\"window\":\"90d\",\"op\":\"gt\",\"value\":1}}"));
        assertEquals("rule.revenue.op", errorField("{\"revenue\":{\"window\":\"7d\",\"op\":\">\",\"value\":1}}"));
    }

    @Test
    void shouldRejectMalformedTreesNamingTheNode() {
        assertEquals("rule", errorField("[]"));
        assertEquals("rule", errorField("\"and\""));
        assertEquals("rule", errorField("{}"));
        assertEquals("rule", errorField("{\"not_seen_for\":\"P1D\",\"last_seen_within\":\"P1D\"}"));
        assertEquals("rule.xor", errorField("{\"xor\":[]}"));
        assertEquals("rule.and", errorField("{\"and\":[]}"));
        assertEquals("rule.or", errorField("{\"or\":{\"not_seen_for\":\"P1D\"}}"));
        assertEquals("rule.or[0]", errorField("{\"or\":[null]}"));
        assertEquals("rule.not", errorField("{\"not\":[]}"));
    }

    @Test
    void shouldRejectRulesDeeperThanTenLevels() {
        String leaf = "{\"last_seen_within\":\"P1D\"}";
        String nine = leaf;
        for (int i = 0; i < 9; i++) {
            nine = "{\"not\":" + nine + "}";
        }
        assertTrue(rule(nine) instanceof Rule.Not, "ten levels are allowed");
        String eleven = "{\"not\":" + nine + "}";
        String field = errorField(eleven);
        assertEquals("rule" + ".not".repeat(10), field);
    }

    @Test
    void shouldRejectRulesWithMoreThanAHundredNodes() {
        String leaf = "{\"last_seen_within\":\"P1D\"}";
        String ok = "{\"or\":[" + String.join(",", java.util.Collections.nCopies(99, leaf)) + "]}";
        assertEquals(99, ((Rule.Or) rule(ok)).rules().size());
        String tooMany = "{\"or\":[" + String.join(",", java.util.Collections.nCopies(100, leaf)) + "]}";
        assertEquals("rule.or[99]", errorField(tooMany));
    }

    @Test
    void shouldRejectBadDefinitionFields() {
        String rule = "\"rule\":{\"last_seen_within\":\"P1D\"}";
        assertEquals("name", bodyErrorField("{\"id\":\"a\"," + rule + "}"));
        assertEquals("name", bodyErrorField("{\"id\":\"a\",\"name\":\"\"," + rule + "}"));
        assertEquals("id", bodyErrorField("{\"id\":\"has space\",\"name\":\"n\"," + rule + "}"));
        assertEquals("id", bodyErrorField("{\"name\":\"n\"," + rule + "}"));
        assertEquals("rule", bodyErrorField("{\"id\":\"a\",\"name\":\"n\"}"));
        assertEquals("description", bodyErrorField("{\"id\":\"a\",\"name\":\"n\",\"description\":5," + rule + "}"));
        assertEquals("project_id", bodyErrorField("{\"id\":\"a\",\"name\":\"n\",\"project_id\":\"other\"," + rule + "}"));
        assertEquals("colour", bodyErrorField("{\"id\":\"a\",\"name\":\"n\",\"colour\":\"red\"," + rule + "}"));
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> SegmentJson.parseBody(json("{\"id\":\"a\",\"name\":\"n\"," + rule + "}"), "shop", "b"));
        assertEquals("id", e.first().field());
    }

    @Test
    void shouldAcceptAGetAnswerSentBack() {
        SegmentDefinition d = new SegmentDefinition("shop", "active", "Active", "in the last day",
                new Rule.LastSeenWithin(Duration.ofDays(1)), 3, 1_700_000_000_000L);

        SegmentDefinition back = SegmentJson.parseBody(SegmentJson.toApiJson(d), "shop", "active");

        assertEquals(d.withVersion(0, 0), back);
    }
}
