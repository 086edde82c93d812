package io.beacon.analytics.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.Interval;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.query.QueryParserTest;
import io.beacon.analytics.query.SqlLiterals;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of the generated retention SQL (pure), and the Java twin of its period index. */
class RetentionSqlTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static InsightQuery.Retention parse(String extra) throws Exception {
        return (InsightQuery.Retention) QueryParser.parse(JSON.readTree("{\"analysis\":\"retention\",\"date_range\":{\"from\":\"2026-03-02\","
                + "\"to\":\"2026-03-29\"},\"start_event\":{\"event\":\"signup\"},\"return_event\":{\"event\":\"view\"}" + extra + "}"),
                ZoneId.of("Europe/Berlin"));
    }

    @Test
    void shouldBuildRecurringOnRetentionInTheProjectZone() throws Exception {
        String sql = RetentionSql.cohorts("p1", parse(",\"period\":\"week\",\"periods\":3"));
        assertTrue(sql.contains("intDiv(toUInt32(toMonday(toDate(event_time, 'Europe/Berlin'))) + 3, 7) AS pi"), sql);
        assertTrue(sql.contains("toUInt8(event_name = 'signup' AND 1) AS s"), sql);
        assertTrue(sql.contains("toUInt8(event_name = 'view' AND 1) AS r"), sql);
        assertTrue(sql.contains("arrayJoin(starts) AS cohort"), sql);
        assertTrue(sql.contains("sum(has(returns, cohort + 0)) AS r0, sum(has(returns, cohort + 1)) AS r1, sum(has(returns, cohort + 2)) AS r2\n"), sql);
        assertFalse(sql.contains("r3"), sql);
        assertTrue(sql.contains("project_id = 'p1'"), sql);
        // 2026-03-02 00:00 Berlin = 2026-03-01 23:00 UTC; 2026-03-30 00:00 Berlin (after the DST change) = 22:00 UTC.
        assertTrue(sql.contains("event_time >= toDateTime('2026-03-01 23:00:00', 'UTC') AND event_time < toDateTime('2026-03-29 22:00:00', 'UTC')"), sql);
        assertTrue(sql.contains("AS person"), sql);
        assertFalse(sql.contains("first_t"), sql);
    }

    @Test
    void shouldReadHistoryBeforeTheRangeOnlyForFirstTimeCohorts() throws Exception {
        String sql = RetentionSql.cohorts("p1", parse(",\"period\":\"day\",\"first_time\":true,\"on_or_after\":true,\"periods\":2"));
        assertTrue(sql.contains("event_time >= toDateTime('1970-01-01 00:00:00', 'UTC')"), sql);
        assertTrue(sql.contains("toUInt8(event_time >= toDateTime('2026-03-01 23:00:00', 'UTC')) AS in_range"), sql);
        assertTrue(sql.contains("minIf(t, s = 1) AS first_t"), sql);
        assertTrue(sql.contains("WHERE first_t >= toDateTime('2026-03-01 23:00:00', 'UTC')"), sql);
        assertTrue(sql.contains("sum(arrayExists(x -> x >= cohort + 1, returns)) AS r1"), sql);
        assertTrue(sql.contains("toUInt32(toDate(event_time, 'Europe/Berlin')) AS pi"), sql);
    }

    @Test
    void shouldEscapeSelectorAndFilterValues() throws Exception {
        String sql = RetentionSql.cohorts("p'1", parse(",\"period\":\"month\",\"filters\":[{\"property\":\"properties.plan\",\"value\":\"x' OR 1=1 --\"}]"));
        assertTrue(sql.contains("project_id = 'p\\'1'"), sql);
        assertTrue(sql.contains("properties.value[indexOf(properties.key, 'plan')] = 'x\\' OR 1=1 --'")
                || sql.contains("'x\\' OR 1=1 --'"), sql);
        assertFalse(sql.contains("'x' OR"), sql);
        assertTrue(sql.contains("(toUInt32(toYear(toDate(event_time, 'Europe/Berlin'))) * 12 + toUInt32(toMonth(toDate(event_time, 'Europe/Berlin')))) AS pi"), sql);
    }

    @Test
    void shouldNumberConsecutivePeriodsConsecutively() {
        // Days since the epoch; weeks: Monday 1969-12-29 is week 0 ((−3 + 3) / 7).
        assertEquals(0, RetentionSql.periodIndex(Interval.DAY, LocalDate.of(1970, 1, 1)));
        assertEquals(0, RetentionSql.periodIndex(Interval.WEEK, LocalDate.of(1970, 1, 1)));
        assertEquals(1, RetentionSql.periodIndex(Interval.WEEK, LocalDate.of(1970, 1, 5)));
        for (LocalDate d = LocalDate.of(2026, 1, 1); d.isBefore(LocalDate.of(2027, 1, 1)); d = d.plusDays(1)) {
            assertEquals(1, RetentionSql.periodIndex(Interval.DAY, d.plusDays(1)) - RetentionSql.periodIndex(Interval.DAY, d));
            assertEquals(1, RetentionSql.periodIndex(Interval.WEEK, d.plusWeeks(1)) - RetentionSql.periodIndex(Interval.WEEK, d));
            assertEquals(1, RetentionSql.periodIndex(Interval.MONTH, d.plusMonths(1)) - RetentionSql.periodIndex(Interval.MONTH, d));
        }
        for (String monday : List.of("2026-03-23", "2026-03-24", "2026-03-29")) {
            assertEquals(RetentionSql.periodIndex(Interval.WEEK, LocalDate.parse("2026-03-23")), RetentionSql.periodIndex(Interval.WEEK, LocalDate.parse(monday)));
        }
    }

    @Test
    void shouldWriteEveryCorpusValueOnlyAsEscapedLiterals() throws Exception {
        for (String attack : QueryParserTest.corpus()) {
            String v = JSON.writeValueAsString(attack);
            String f = "[{\"property\":\"properties.plan\",\"value\":" + v + "},{\"property\":\"person.email\",\"op\":\"contains\",\"value\":" + v + "}]";
            InsightQuery.Retention q = (InsightQuery.Retention) QueryParser.parse(JSON.readTree("{\"analysis\":\"retention\","
                    + "\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-29\"},\"first_time\":true,"
                    + "\"start_event\":{\"event\":\"signup\",\"filters\":" + f + "},\"return_event\":{\"filters\":" + f + "},"
                    + "\"filters\":" + f + "}"), ZoneId.of("UTC"));
            String sql = RetentionSql.cohorts("p", q);
            String literal = SqlLiterals.string(attack);
            assertTrue(sql.contains("= " + literal), sql);
            String stripped = sql.replace(literal, "''");
            assertEquals(0, stripped.replaceAll("'(\\\\.|[^'\\\\])*'", "").chars().filter(c -> c == '\'').count(), stripped);
            assertFalse(stripped.contains("DROP"));
        }
    }
}
