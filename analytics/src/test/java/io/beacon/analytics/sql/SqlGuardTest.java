package io.beacon.analytics.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.RefusedException;
import io.beacon.httpkit.ApiErrors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The console's SQL guard, without ClickHouse: what it refuses (with which code) and how it pins names. */
class SqlGuardTest {

    /** Escape attempts and the code each is refused with; the same corpus runs on ClickHouse in {@code SqlConsoleIT}. */
    static List<String[]> refused() {
        return SqlCorpus.REFUSED;
    }

    @ParameterizedTest
    @MethodSource("refused")
    void shouldRefuseEscapeAttemptsWithACode(String sql, String code) {
        RefusedException e = assertThrows(RefusedException.class, () -> SqlGuard.pin(sql, "p1"));
        assertEquals(400, ApiErrors.status(e.kind()));
        assertEquals(code, e.code(), sql);
        assertEquals("sql", e.field());
    }

    @Test
    void shouldReplaceExposedNamesBySubqueriesPinnedToTheProject() {
        String pinned = SqlGuard.pin("SELECT count() FROM events WHERE event_name = 'x'", "p1");

        assertTrue(pinned.startsWith("SELECT count() FROM (SELECT *, "), pinned);
        assertTrue(pinned.contains("FROM events FINAL WHERE project_id = 'p1') AS events WHERE event_name = 'x'"), pinned);
    }

    @Test
    void shouldKeepTheUsersAliasAndPinEveryOccurrence() {
        String pinned = SqlGuard.pin("SELECT e.distinct_id FROM events AS e ANY LEFT JOIN persons p USING resolved_person_id "
                + "WHERE e.distinct_id IN (SELECT distinct_id FROM person_distinct_ids)", "p'1");

        assertEquals(3, pinned.split("project_id = 'p\\\\'1'", -1).length - 1, pinned);
        assertTrue(pinned.contains(") AS e ANY LEFT JOIN ("), pinned);
        assertTrue(pinned.contains(") p USING resolved_person_id"), pinned);
        assertFalse(pinned.contains(" AS events"), pinned);
    }

    @Test
    void shouldLeaveStringsAndQuotedNamesAlone() {
        assertEquals("SELECT 'FROM system.tables; --' AS `from`", SqlGuard.pin("SELECT 'FROM system.tables; --' AS `from`;", "p1"));
        assertEquals("SELECT 'a'' FROM system.one'", SqlGuard.pin("SELECT 'a'' FROM system.one'", "p1"));
        assertEquals("SELECT 'a\\' FROM system.one'", SqlGuard.pin("SELECT 'a\\' FROM system.one'", "p1"));
    }

    @Test
    void shouldAllowArrayJoinInListsAndSubqueries() {
        String pinned = SqlGuard.pin("SELECT k, count() FROM events ARRAY JOIN properties.key AS k WHERE event_name IN ('a', 'b') "
                + "AND distinct_id NOT IN (SELECT distinct_id FROM person_distinct_ids) GROUP BY k ORDER BY k, 2 LIMIT 10", "p1");
        assertTrue(pinned.contains("AS events ARRAY JOIN properties.key AS k"), pinned);
    }
}
