package io.beacon.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.distribution.DistributionSql;
import io.beacon.analytics.lifecycle.LifecycleSql;
import io.beacon.analytics.paths.PathSql;
import io.beacon.analytics.timeline.TimelineCursor;
import io.beacon.analytics.timeline.TimelineQuery;
import io.beacon.analytics.timeline.TimelineSql;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict validation of paths, distribution, stickiness, lifecycle and timeline requests, and the injection corpus against their SQL. */
class BehaviourParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final String RANGE = "\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-07\"}";

    private static InsightQuery parse(String json) throws Exception {
        return QueryParser.parse(JSON.readTree(json), UTC);
    }

    private static String refused(String json) {
        return assertThrows(InvalidQueryException.class, () -> parse(json), json).field();
    }

    private static String paths(String extra) {
        return "{\"analysis\":\"paths\"," + RANGE + extra + "}";
    }

    @Test
    void shouldAcceptDepthOneToTenAndRefuseZeroAndEleven() throws Exception {
        assertEquals("depth", refused(paths(",\"depth\":0")));
        assertEquals("depth", refused(paths(",\"depth\":11")));
        assertEquals("depth", refused(paths(",\"depth\":2.5")));
        assertEquals(1, ((InsightQuery.Paths) parse(paths(",\"depth\":1"))).depth());
        assertEquals(10, ((InsightQuery.Paths) parse(paths(",\"depth\":10"))).depth());
        assertEquals(5, ((InsightQuery.Paths) parse(paths(""))).depth());
    }

    @Test
    void shouldRefuseBadPathOptions() {
        assertEquals("end", refused(paths(",\"start\":{\"event\":\"a\"},\"end\":{\"event\":\"b\"}")));
        assertEquals("start", refused(paths(",\"start\":{}")));
        assertEquals("event_types", refused(paths(",\"event_types\":\"clicks\"")));
        assertEquals("links_per_step", refused(paths(",\"links_per_step\":0")));
        assertEquals("collapse_repeats", refused(paths(",\"collapse_repeats\":\"yes\"")));
        assertEquals("date_range", refused("{\"analysis\":\"paths\",\"date_range\":{\"from\":\"2026-03-07\",\"to\":\"2026-03-01\"}}"));
        assertEquals("start.colour", refused(paths(",\"start\":{\"event\":\"a\",\"colour\":1}")));
    }

    @Test
    void shouldRefuseRegexesThatAreInvalidOrNotRe2AndBadReplacements() {
        for (String re : List.of("(", "[a-", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\\\1", "a*+", "(?>a)", "\\\\p{javaLowerCase}", "\\\\Z")) {
            assertEquals("cleaning[0].regex", refused(paths(",\"cleaning\":[{\"regex\":\"" + re + "\",\"replacement\":\"x\"}]")), re);
        }
        assertEquals("cleaning[0].regex", refused(paths(",\"cleaning\":[{\"regex\":\"\",\"replacement\":\"x\"}]")));
        assertEquals("cleaning[0].regex", refused(paths(",\"cleaning\":[{\"regex\":\"" + "a".repeat(201) + "\"}]")));
        assertEquals("cleaning[0].replacement", refused(paths(",\"cleaning\":[{\"regex\":\"(a)\",\"replacement\":\"\\\\2\"}]")));
        assertEquals("cleaning[0].replacement", refused(paths(",\"cleaning\":[{\"regex\":\"a\",\"replacement\":\"\\\\n\"}]")));
        assertEquals("cleaning[0]", refused(paths(",\"cleaning\":[{\"regex\":\"a\\n\",\"replacement\":\"x\"}]")));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"regex\":\"a\"}");
        }
        assertEquals("cleaning", refused(paths(",\"cleaning\":[" + many + "]")));
    }

    /** ClickHouse 18.16 replaces an empty match once, 26.x at every position: such rules are refused on both. */
    @Test
    void shouldRefuseCleaningRegexesThatCanMatchTheEmptyString() throws Exception {
        for (String re : List.of("[0-9]*", "a?", "(x|)", "^", "$", "\\\\b", "(?m)^", "x{0,2}")) {
            String json = paths(",\"cleaning\":[{\"regex\":\"/a\"},{\"regex\":\"" + re + "\",\"replacement\":\"N\"}]");
            InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> parse(json), re);
            assertEquals("cleaning[1].regex", e.field(), re);
            assertTrue(e.getMessage().contains("must not match the empty string"), e.getMessage());
        }
        for (String re : List.of("[0-9]+", "^/a", "\\\\bid\\\\b", "x{1,2}")) {
            assertEquals(1, ((InsightQuery.Paths) parse(paths(",\"cleaning\":[{\"regex\":\"" + re + "\"}]"))).cleaning().size(), re);
        }
    }

    @Test
    void shouldAcceptRe2RulesAndWriteThemAsEscapedLiteralsInOrder() throws Exception {
        InsightQuery.Paths q = (InsightQuery.Paths) parse(paths(",\"event_types\":\"pageviews\",\"cleaning\":["
                + "{\"regex\":\"/product/\\\\d+\",\"replacement\":\"/product/:id\"},{\"regex\":\"^/(\\\\w+)/x$\",\"replacement\":\"/\\\\1\"},"
                + "{\"regex\":\"(?i)\\\\?.*'\"}]"));
        String sql = PathSql.transitions("p", q);
        int first = sql.indexOf("replaceRegexpAll(replaceRegexpAll(replaceRegexpAll(if(page_path != '', page_path, page_url), '/product/\\\\d+', '/product/:id'), "
                + "'^/(\\\\w+)/x$', '/\\\\1'), '(?i)\\\\?.*\\'', '')");
        assertTrue(first > 0, sql);
        assertTrue(sql.contains("event_name = '$pageview'"));
        assertTrue(sql.contains("arraySort(groupArray((t, eid, label, a)))"), "ordered by (event_time_ms, event_id)");
    }

    @Test
    void shouldCutStartPathsAfterAndEndPathsBeforeTheAnchor() throws Exception {
        String start = PathSql.transitions("p", (InsightQuery.Paths) parse(paths(",\"depth\":3,\"start\":{\"event\":\"a\"},\"collapse_repeats\":true")));
        assertTrue(start.contains("arraySlice(labels, anchor) AS part") && start.contains("arraySlice(kept, 1, 4) AS path"), start);
        assertTrue(start.contains("x != part[j - 1]"), start);
        String end = PathSql.transitions("p", (InsightQuery.Paths) parse(paths(",\"depth\":3,\"end\":{\"event\":\"a\"}")));
        assertTrue(end.contains("arraySlice(labels, 1, anchor) AS part") && end.contains("length(kept) - 3"), end);
        assertTrue(end.contains("toInt32(i) - toInt32(length(path)) AS step"), end);
    }

    @Test
    void shouldRefuseBadDistributionStickinessAndLifecycleQueries() throws Exception {
        String d = "{\"analysis\":\"distribution\"," + RANGE;
        assertEquals("buckets", refused(d + ",\"buckets\":{}}"));
        assertEquals("buckets", refused(d + ",\"buckets\":{\"max\":3,\"edges\":[1,2]}}"));
        assertEquals("buckets.max", refused(d + ",\"buckets\":{\"max\":0}}"));
        assertEquals("buckets.edges[0]", refused(d + ",\"buckets\":{\"edges\":[0,2]}}"));
        assertEquals("buckets.edges[2]", refused(d + ",\"buckets\":{\"edges\":[1,5,5]}}"));
        assertEquals(List.of(1L, 2L, 3L), ((InsightQuery.Distribution) parse(d + ",\"buckets\":{\"max\":3}}")).edges());
        assertEquals("event.event", refused(d + ",\"event\":{\"event\":\"\"}}"));
        assertEquals("a'b", ((InsightQuery.Distribution) parse(d + ",\"event\":{\"event\":\"a'b\"}}")).event().event()); // names as stored
        for (String a : List.of("stickiness", "lifecycle")) {
            String s = "{\"analysis\":\"" + a + "\"," + RANGE;
            assertEquals("interval", refused(s + ",\"interval\":\"hour\"}"));
            assertEquals("interval", refused(s + ",\"interval\":\"fortnight\"}"));
            assertEquals("timezone", refused(s + ",\"timezone\":\"Mars/Base\"}"));
            assertEquals("colour", refused(s + ",\"colour\":1}"));
            assertEquals("date_range", refused("{\"analysis\":\"" + a + "\",\"date_range\":{\"from\":\"2020-01-01\",\"to\":\"2026-01-01\"}}"));
        }
        assertEquals("analysis", refused("{\"analysis\":\"sankey\"," + RANGE + "}"));
    }

    @Test
    void shouldWriteEveryCorpusStringOnlyAsEscapedLiteralsInEveryNewAnalysis() throws Exception {
        for (String attack : QueryParserTest.corpus()) {
            String v = JSON.writeValueAsString(attack);
            String f = "[{\"property\":\"properties.plan\",\"value\":" + v + "},{\"property\":\"person.email\",\"op\":\"contains\",\"value\":" + v + "}]";
            String replacement = attack.contains("\\") || attack.chars().anyMatch(c -> c < 0x20) ? "x" : attack;
            List<String> sqls = List.of(
                    PathSql.transitions("p", (InsightQuery.Paths) parse(paths(",\"start\":{\"event\":\"a\",\"filters\":" + f + "},\"filters\":" + f
                            + ",\"cleaning\":[{\"regex\":\"'\",\"replacement\":" + JSON.writeValueAsString(replacement) + "}]"))),
                    DistributionSql.eventsPerPerson("p", (InsightQuery.Distribution) parse("{\"analysis\":\"distribution\"," + RANGE
                            + ",\"event\":{\"filters\":" + f + "},\"filters\":" + f + "}")),
                    DistributionSql.activeIntervals("p", (InsightQuery.Stickiness) parse("{\"analysis\":\"stickiness\"," + RANGE
                            + ",\"event\":{\"filters\":" + f + "},\"filters\":" + f + "}")),
                    LifecycleSql.statuses("p", (InsightQuery.Lifecycle) parse("{\"analysis\":\"lifecycle\"," + RANGE
                            + ",\"event\":{\"filters\":" + f + "},\"filters\":" + f + "}")),
                    TimelineSql.page("p", attack, TimelineQuery.parse("u", Map.of("cursor", new TimelineCursor(5, attack).encode()), UTC)),
                    TimelineSql.resolve("p", attack),
                    TimelineSql.sessions("p", attack, List.of(attack, "s")));
            String literal = SqlLiterals.string(attack);
            for (String sql : sqls) {
                assertTrue(sql.contains(literal), sql);
                String stripped = sql.replace(literal, "''");
                assertEquals(0, stripped.replaceAll("'(\\\\.|[^'\\\\])*'", "").chars().filter(c -> c == '\'').count(), stripped);
                assertFalse(stripped.contains("DROP"), stripped);
            }
        }
    }

    @Test
    void shouldRefuseBadTimelineParametersNamingThem() {
        assertEquals("limit", assertThrows(InvalidQueryException.class, () -> TimelineQuery.parse("u", Map.of("limit", "0"), UTC)).field());
        assertEquals("cursor", assertThrows(InvalidQueryException.class, () -> TimelineQuery.parse("u", Map.of("cursor", "djE6eA"), UTC)).field());
        assertEquals("to", assertThrows(InvalidQueryException.class,
                () -> TimelineQuery.parse("u", Map.of("from", "2026-03-02", "to", "2026-03-01"), UTC)).field());
        assertEquals("id", assertThrows(InvalidQueryException.class, () -> TimelineQuery.parse("a\u0000", Map.of(), UTC)).field());
        assertEquals("x", assertThrows(InvalidQueryException.class, () -> TimelineQuery.parse("u", Map.of("x", "1"), UTC)).field());
        TimelineCursor c = new TimelineCursor(1_772_323_200_123L, "e:1:x'");
        assertEquals(c, TimelineCursor.decode(c.encode()));
    }
}
