package io.beacon.warehouse.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

    @Test
    void shouldPrintHeaderSeparatorAlignedRowsAndRowCount() {
        QueryResult result = QueryResult.of(List.of("event_name", "c"),
                List.of(List.of("$pageview", "1200"), List.of("signup", "31")));

        assertEquals("""
                event_name | c
                -----------+-----
                $pageview  | 1200
                signup     |   31
                (2 rows)
                """, TablePrinter.print(result));
    }

    @Test
    void shouldLeftAlignAColumnThatIsNotEntirelyNumeric() {
        QueryResult result = QueryResult.of(List.of("v"), List.of(List.of("10"), List.of("abc")));

        assertEquals("""
                v
                ---
                10
                abc
                (2 rows)
                """, TablePrinter.print(result));
    }

    @Test
    void shouldSaySingularRowForOneRow() {
        QueryResult result = QueryResult.of(List.of("version()"), List.of(List.of("18.16.1")));

        assertEquals("""
                version()
                ---------
                18.16.1
                (1 row)
                """, TablePrinter.print(result));
    }

    @Test
    void shouldPrintTheHeaderOfAnEmptyResult() {
        QueryResult result = QueryResult.of(List.of("a", "bb"), List.of());

        assertEquals("""
                a | bb
                --+---
                (0 rows)
                """, TablePrinter.print(result));
    }

    @Test
    void shouldShowNullAndEscapeTabsAndNewlinesInsideValues() {
        QueryResult result = QueryResult.of(List.of("x", "y"), List.of(Arrays.asList(null, "a\tb\nc")));

        assertEquals("""
                x    | y
                -----+--------
                NULL | a\\tb\\nc
                (1 row)
                """, TablePrinter.print(result));
    }

    @Test
    void shouldAlignNonAsciiTextByCharacters() {
        QueryResult result = QueryResult.of(List.of("city", "n"), List.of(List.of("Zürich", "1"), List.of("Bern", "22")));

        assertEquals("""
                city   | n
                -------+---
                Zürich |  1
                Bern   | 22
                (2 rows)
                """, TablePrinter.print(result));
    }
}
