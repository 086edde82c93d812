package io.beacon.warehouse.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TabSeparatedTest {

    @Test
    void shouldReadColumnNamesFromTheFirstLine() {
        QueryResult result = TabSeparated.parseWithNames("a\tb\n1\tx\n2\ty\n");

        assertEquals(List.of("a", "b"), result.columns());
        assertEquals(List.of(List.of("1", "x"), List.of("2", "y")), result.rows());
    }

    @Test
    void shouldUnescapeClickHouseEscapes() {
        QueryResult result = TabSeparated.parseWithNames("v\nq\\'s \\\\ t\\tn\\nr\\r\n");

        assertEquals("q's \\ t\tn\nr\r", result.value(0, "v"));
    }

    @Test
    void shouldReadBackslashCapitalNAsNull() {
        QueryResult result = TabSeparated.parseWithNames("a\tb\n\\N\t\n");

        assertNull(result.value(0, "a"));
        assertEquals("", result.value(0, "b"));
    }

    @Test
    void shouldReturnOnlyColumnsForAHeaderWithoutRows() {
        QueryResult result = TabSeparated.parseWithNames("count()\n");

        assertEquals(List.of("count()"), result.columns());
        assertTrue(result.isEmpty());
    }

    @Test
    void shouldReturnNothingForAnEmptyResponse() {
        QueryResult result = TabSeparated.parseWithNames("");

        assertTrue(result.columns().isEmpty());
        assertTrue(result.isEmpty());
    }
}
