package io.beacon.warehouse.widening;

import static io.beacon.warehouse.widening.PromotedValues.columnValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotedValuesTest {

    @Test
    void shouldStoreNumbersAndNumericStringsAsDoubles() {
        assertEquals(12.0, columnValue(PromotedType.NUMBER, 12));
        assertEquals(12.5, columnValue(PromotedType.NUMBER, 12.5));
        assertEquals(-1500.0, columnValue(PromotedType.NUMBER, "-1.5e3"));
        assertEquals(0.1, columnValue(PromotedType.NUMBER, new BigDecimal("0.1")));
    }

    @Test
    void shouldStoreNullForValuesThatAreNotNumbers() {
        for (Object bad : Arrays.asList("abc", "", " 12", "0x10", "NaN", true, List.of(1), Map.of("a", 1), Double.NaN, null)) {
            assertNull(columnValue(PromotedType.NUMBER, bad), String.valueOf(bad));
        }
    }

    @Test
    void shouldStoreBooleansAsOneAndZero() {
        assertEquals(1, columnValue(PromotedType.BOOLEAN, true));
        assertEquals(0, columnValue(PromotedType.BOOLEAN, "FALSE"));
        assertNull(columnValue(PromotedType.BOOLEAN, 1));
        assertNull(columnValue(PromotedType.BOOLEAN, "yes"));
    }

    @Test
    void shouldStoreScalarsAsTextForStringColumns() {
        assertEquals("pro", columnValue(PromotedType.STRING, "pro"));
        assertEquals("12", columnValue(PromotedType.STRING, 12));
        assertEquals("1.5", columnValue(PromotedType.STRING, 1.5));
        assertEquals("true", columnValue(PromotedType.STRING, true));
        assertNull(columnValue(PromotedType.STRING, List.of("a")));
    }

    @Test
    void shouldStoreDatetimesAsEpochSeconds() {
        assertEquals(1_790_856_000L, columnValue(PromotedType.DATETIME, "2026-10-01T12:00:00Z"));
        assertEquals(1_790_856_000L, columnValue(PromotedType.DATETIME, "2026-10-01T14:00:00.999+02:00"));
        assertEquals(1_790_856_000L, columnValue(PromotedType.DATETIME, 1_790_856_000_123L));
        assertEquals(1_790_856_000L, columnValue(PromotedType.DATETIME, "1790856000123"));
        assertNull(columnValue(PromotedType.DATETIME, "2026-10-01T12:00:00"), "no offset");
        assertNull(columnValue(PromotedType.DATETIME, "2026-10-01"));
        assertNull(columnValue(PromotedType.DATETIME, -1));
        assertNull(columnValue(PromotedType.DATETIME, 1.5));
        assertNull(columnValue(PromotedType.DATETIME, "2200-01-01T00:00:00Z"), "beyond DateTime's range");
    }

    @Test
    void shouldStoreListElementsAsTextAndAnythingElseAsEmpty() {
        assertEquals(List.of("a", "1", "true", "null"), columnValue(PromotedType.LIST, Arrays.asList("a", 1, true, null)));
        assertEquals(List.of(), columnValue(PromotedType.LIST, "a,b"));
        assertEquals(List.of(), columnValue(PromotedType.LIST, null));
    }
}
