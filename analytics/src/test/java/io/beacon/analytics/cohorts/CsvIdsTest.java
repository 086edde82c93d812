package io.beacon.analytics.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvIdsTest {
    @Test
    void shouldReadOneIdPerLineWithOptionalHeaderQuotesAndBlankLines() {
        CsvIds.Parsed p = CsvIds.parse("person_id\r\nu1\n\"a,\"\"b\"\"\"\n\n u2 \nu1\n", 10);
        assertEquals(List.of("u1", "a,\"b\"", "u2"), p.ids());
        assertEquals(List.of(), p.errors());
    }

    @Test
    void shouldReportBadLinesByNumberAndYieldNothing() {
        CsvIds.Parsed p = CsvIds.parse("u1\nu2,u3\n\"\"\n\"open\n" + "x".repeat(201) + "\nu\u0001\n", 10);
        assertEquals(List.of(), p.ids());
        assertEquals(List.of(2, 3, 4, 5, 6), p.errors().stream().map(CsvIds.LineError::line).toList());
    }

    @Test
    void shouldRefuseMoreIdsThanTheLimit() {
        CsvIds.Parsed p = CsvIds.parse("a\nb\nc\n", 2);
        assertEquals(List.of(), p.ids());
        assertEquals(3, p.errors().get(0).line());
    }
}
