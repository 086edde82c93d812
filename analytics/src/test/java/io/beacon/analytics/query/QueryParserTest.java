package io.beacon.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.funnels.FunnelSql;
import io.beacon.analytics.trends.TrendsSql;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strict validation of the JSON query model, and the injection corpus against the pure SQL builders. */
public class QueryParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId UTC = ZoneId.of("UTC");

    /** Strings an attacker would try in property names, event names and values. */
    static final List<String> CORPUS = List.of(
            "x' OR 1=1 --", "x\\' OR 1=1 --", "'; DROP TABLE events; --", "\\", "\\\\'", "') UNION ALL SELECT * FROM system.users --",
            "x\n FORMAT JSON", "x` FROM events", "\" OR \"\"=\"", "x'); SELECT 1; --", "%' AND sleep(3) --", "\u0000",
            "properties.value[1]", "a' || (SELECT secret_key FROM projects) || '", "${jndi:ldap://x}", "x/*", "*/ OR 1",
            "é' OR 'x'='x", "'''", "x\\", "x\\\\' OR 1=1");

    /** The corpus, for the ClickHouse test. */
    public static List<String> corpus() {
        return CORPUS;
    }

    private static InvalidQueryException refused(String json) {
        return assertThrows(InvalidQueryException.class, () -> QueryParser.parse(JSON.readTree(json), UTC));
    }

    private static String trends(String extra) {
        return "{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"},\"series\":[{\"event\":\"view\"}]" + extra + "}";
    }

    private static String funnel(int steps) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < steps; i++) {
            s.append(i == 0 ? "" : ",").append("{\"event\":\"s").append(i).append("\"}");
        }
        return "{\"analysis\":\"funnels\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"},\"steps\":[" + s + "]}";
    }

    @Test
    void shouldRefuseAnUnknownAnalysisNamingTheField() {
        assertEquals("analysis", refused("{\"analysis\":\"magic\"}").field());
        assertEquals("analysis", refused("{}").field());
    }

    @Test
    void shouldRefuseZeroOneAndTwentyOneStepsButAcceptTwoAndTwenty() throws Exception {
        assertEquals("steps", refused(funnel(0)).field());
        assertEquals("steps", refused(funnel(1)).field());
        assertEquals("steps", refused(funnel(21)).field());
        assertEquals(20, ((InsightQuery.Funnel) QueryParser.parse(JSON.readTree(funnel(20)), UTC)).steps().size());
        assertEquals(2, ((InsightQuery.Funnel) QueryParser.parse(JSON.readTree(funnel(2)), UTC)).steps().size());
    }

    @Test
    void shouldRefuseAnInvertedDateRange() {
        InvalidQueryException e = refused("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-07\",\"to\":\"2026-03-01\"},\"series\":[{}]}");
        assertEquals("date_range", e.field());
        assertEquals("date_range.from", refused("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"yesterday\",\"to\":\"2026-03-01\"},\"series\":[{}]}").field());
    }

    @Test
    void shouldRefuseBadIntervalTimezoneMathAndUnknownFields() {
        assertEquals("interval", refused(trends(",\"interval\":\"fortnight\"")).field());
        assertEquals("interval", refused(trends(",\"interval\":\"hour\"").replace("2026-03-07", "2026-12-31")).field());
        assertEquals("timezone", refused(trends(",\"timezone\":\"Mars/Olympus\"")).field());
        assertEquals("timezone", refused(trends(",\"timezone\":\"UTC'); DROP\"")).field());
        assertEquals("series[0].math", refused("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"},\"series\":[{\"math\":\"mode\"}]}").field());
        assertEquals("series[0].property", refused("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"},\"series\":[{\"math\":\"sum\"}]}").field());
        assertEquals("series", refused("{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"},\"series\":[]}").field());
        assertEquals("colour", refused(trends(",\"colour\":\"red\"")).field());
        assertEquals("formula", refused(trends(",\"formula\":\"A / C\"")).field());
        assertEquals("filters[0].op", refused(trends(",\"filters\":[{\"property\":\"country\",\"op\":\"like\",\"value\":\"x\"}]")).field());
        assertEquals("filters[0].value", refused(trends(",\"filters\":[{\"property\":\"properties.price\",\"op\":\"gt\",\"value\":\"10\"}]")).field());
        assertEquals("filters[0].value", refused(trends(",\"filters\":[{\"property\":\"properties.price\",\"op\":\"between\",\"value\":[5,1]}]")).field());
        assertEquals("filters[0].value", refused(trends(",\"filters\":[{\"property\":\"properties.x\",\"op\":\"regex\",\"value\":\"(\"}]")).field());
        assertEquals("window.unit", refused(funnel(2).replace("}]}", "}],\"window\":{\"value\":1,\"unit\":\"fortnight\"}}")).field());
        assertEquals("order", refused(funnel(2).replace("}]}", "}],\"order\":\"sideways\"}")).field());
    }

    @Test
    void shouldRefuseEveryCorpusStringAsAPropertyName() {
        for (String attack : CORPUS) {
            for (String ref : List.of(attack, "properties." + attack, "person." + attack)) {
                if (ref.equals("properties.properties.value[1]")) {
                    continue; // a legal key (letters, dots) that is written as an escaped literal anyway
                }
                ObjectNode q = (ObjectNode) tree(trends(""));
                ArrayNode filters = q.putArray("filters");
                filters.addObject().put("property", ref).put("op", "is_set");
                InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> QueryParser.parse(q, UTC), ref);
                assertEquals("filters[0].property", e.field());
            }
        }
    }

    /** The gateway stores any name of 1–200 characters, so analyses accept it and write it as one escaped literal. */
    @Test
    void shouldAcceptEveryCorpusStringAsAnEventNameAndWriteItAsOneEscapedLiteral() {
        for (String attack : CORPUS) {
            ObjectNode q = (ObjectNode) tree(trends(""));
            ((ObjectNode) q.get("series").get(0)).put("event", attack);
            InsightQuery.Trends t = (InsightQuery.Trends) QueryParser.parse(q, UTC);
            assertEquals(attack, t.series().get(0).events().event());
            String sql = TrendsSql.series("p", t, t.series().get(0), t.range());
            String literal = SqlLiterals.string(attack);
            assertTrue(sql.contains("event_name = " + literal), sql);
            String stripped = sql.replace(literal, "''");
            assertEquals(0, stripped.replaceAll("'(\\\\.|[^'\\\\])*'", "").chars().filter(c -> c == '\'').count(), stripped);
            assertFalse(stripped.contains("DROP"));
            assertTrue(sql.chars().noneMatch(c -> c < 0x20 && c != '\n'), "control characters are escaped: " + sql);
        }
        ObjectNode empty = (ObjectNode) tree(trends(""));
        ((ObjectNode) empty.get("series").get(0)).put("event", "");
        assertEquals("series[0].event", assertThrows(InvalidQueryException.class, () -> QueryParser.parse(empty, UTC)).field());
        ObjectNode tooLong = (ObjectNode) tree(trends(""));
        ((ObjectNode) tooLong.get("series").get(0)).put("event", "e".repeat(QueryParser.MAX_EVENT_NAME + 1));
        assertEquals("series[0].event", assertThrows(InvalidQueryException.class, () -> QueryParser.parse(tooLong, UTC)).field());
    }

    @Test
    void shouldWriteEveryCorpusValueAsOneEscapedLiteral() {
        for (String attack : CORPUS) {
            ObjectNode q = (ObjectNode) tree(trends(""));
            ArrayNode filters = q.putArray("filters");
            filters.addObject().put("property", "properties.plan").put("op", "eq").put("value", attack);
            filters.addObject().put("property", "person.email").put("op", "contains").put("value", attack);
            InsightQuery.Trends t = (InsightQuery.Trends) QueryParser.parse(q, UTC);
            String sql = TrendsSql.series("p", t, t.series().get(0), t.range());
            String literal = SqlLiterals.string(attack);
            assertTrue(sql.contains("= " + literal), sql);
            // Outside the literals, nothing of the attack is left: removing them leaves balanced quotes.
            String stripped = sql.replace(literal, "''");
            assertEquals(0, stripped.replaceAll("'(\\\\.|[^'\\\\])*'", "").chars().filter(c -> c == '\'').count(), stripped);
            assertFalse(stripped.contains("DROP"));
        }
    }

    /** A breakdown by a person property is accepted (trends and funnels); its key joins persons_current as a literal. */
    @Test
    void shouldAcceptABreakdownByAPersonProperty() throws Exception {
        InsightQuery.Trends t = (InsightQuery.Trends) QueryParser.parse(tree(trends(",\"breakdown\":{\"property\":\"person.plan: a/b-c $x\",\"limit\":3}")), UTC);
        assertEquals(new Breakdown(new PropertyRef(PropertyRef.Kind.PERSON_PROPERTY, "plan: a/b-c $x"), 3), t.breakdown());
        String sql = TrendsSql.series("p'1", t, t.series().get(0), t.range());
        assertTrue(sql.contains("AS person_rows ANY LEFT JOIN (SELECT resolved_person_id AS person, value AS person_prop FROM persons_current"
                + " WHERE project_id = 'p\\'1' AND key = 'plan: a/b-c $x') AS props USING person"), sql);
        InsightQuery.Funnel f = (InsightQuery.Funnel) QueryParser.parse(tree(funnel(2).replace("}]}", "}],\"breakdown\":{\"property\":\"person.plan\"}}")), UTC);
        assertEquals(PropertyRef.Kind.PERSON_PROPERTY, f.breakdown().property().kind());
        String funnelSql = FunnelSql.summary("p", f, List.of("pro"));
        assertTrue(funnelSql.contains("AND key = 'plan') AS props USING person"), funnelSql);
        assertFalse(funnelSql.contains("bds"), "no per-event values for a person property");
    }

    @Test
    void shouldRefuseEveryCorpusStringAsABreakdownKey() {
        for (String attack : CORPUS) {
            for (String ref : List.of(attack, "person." + attack)) {
                ObjectNode q = (ObjectNode) tree(trends(""));
                q.putObject("breakdown").put("property", ref);
                InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> QueryParser.parse(q, UTC), ref);
                assertEquals("breakdown.property", e.field());
                ObjectNode fq = (ObjectNode) tree(funnel(2));
                fq.putObject("breakdown").put("property", ref);
                assertEquals("breakdown.property", assertThrows(InvalidQueryException.class, () -> QueryParser.parse(fq, UTC), ref).field());
            }
        }
    }

    @Test
    void shouldEscapeLiteralsTheClickHouseWay() {
        assertEquals("'it\\'s'", SqlLiterals.string("it's"));
        assertEquals("'a\\\\b'", SqlLiterals.string("a\\b"));
        assertEquals("'\\n\\0'", SqlLiterals.string("\n\0"));
        assertEquals("'a\\x01b\\x1f\\x7f'", SqlLiterals.string("a\u0001b\u001f\u007f"));
        assertEquals("12.5", SqlLiterals.number(12.5));
        assertEquals("10000000000", SqlLiterals.number(1e10));
    }

    @Test
    void shouldUseTheProjectZoneUnlessTheQueryNamesOne() throws Exception {
        InsightQuery q = QueryParser.parse(tree(trends("")), ZoneId.of("Asia/Tokyo"));
        assertEquals(ZoneId.of("Asia/Tokyo"), q.zone());
        InsightQuery.Trends t = (InsightQuery.Trends) q;
        assertEquals("2026-02-28T15:00:00Z", t.range().from().toString());
        assertEquals("2026-03-07T15:00:00Z", t.range().to().toString());
    }

    @Test
    void shouldBuildAFunnelWithoutWindowFunnelModes() throws Exception {
        InsightQuery.Funnel f = (InsightQuery.Funnel) QueryParser.parse(tree(funnel(3).replace("}]}", "}],\"order\":\"strict\"}")), UTC);
        String sql = FunnelSql.summary("p", f, List.of());
        assertFalse(sql.contains("windowFunnel"));
        assertTrue(sql.contains("g <= pg + 1")); // strict: no event strictly between two steps in time (moments one apart)
        assertFalse(sql.contains("event_id"), "the event order never uses event ids");
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
