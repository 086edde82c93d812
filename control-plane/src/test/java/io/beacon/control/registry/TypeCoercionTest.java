package io.beacon.control.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeCoercionTest {

    private static Object ok(PropertyType type, Object value) {
        TypeCoercion.Result r = TypeCoercion.coerce(type, value);
        assertTrue(r.ok(), () -> value + " should coerce to " + type + " but: " + r.problem());
        return r.value();
    }

    private static void mismatch(PropertyType type, Object value) {
        TypeCoercion.Result r = TypeCoercion.coerce(type, value);
        assertFalse(r.ok(), () -> value + " should not coerce to " + type + " but gave " + r.value());
    }

    @Test
    void shouldCoerceNumericStringToNumber() {
        assertEquals(12L, ok(PropertyType.NUMBER, "12"));
        assertEquals(-1.5, ok(PropertyType.NUMBER, "-1.5"));
        assertEquals(1500L, ok(PropertyType.NUMBER, "1.5e3"));
        assertEquals(12L, ok(PropertyType.NUMBER, "12.0"));
    }

    @Test
    void shouldKeepNumbersGivenAsNumbers() {
        assertEquals(7, ok(PropertyType.NUMBER, 7));
        assertEquals(1.99, ok(PropertyType.NUMBER, 1.99));
    }

    @Test
    void shouldRejectNonNumericStringsForNumber() {
        for (String s : List.of("abc", "", " 12", "12 ", "+12", "0x10", "NaN", "Infinity", "1,5", "12abc", "1e99999999999")) {
            mismatch(PropertyType.NUMBER, s);
        }
    }

    @Test
    void shouldRejectBooleansListsAndObjectsForNumber() {
        mismatch(PropertyType.NUMBER, true);
        mismatch(PropertyType.NUMBER, List.of(1));
        mismatch(PropertyType.NUMBER, Map.of("a", 1));
        mismatch(PropertyType.NUMBER, Double.NaN);
    }

    @Test
    void shouldCoerceTrueFalseStringsToBoolean() {
        assertEquals(true, ok(PropertyType.BOOLEAN, "true"));
        assertEquals(false, ok(PropertyType.BOOLEAN, "FALSE"));
        assertEquals(true, ok(PropertyType.BOOLEAN, true));
    }

    @Test
    void shouldRejectNumbersAndOtherWordsForBoolean() {
        mismatch(PropertyType.BOOLEAN, 1);
        mismatch(PropertyType.BOOLEAN, 0);
        mismatch(PropertyType.BOOLEAN, "yes");
        mismatch(PropertyType.BOOLEAN, "1");
    }

    @Test
    void shouldTurnNumbersAndBooleansIntoPlainStrings() {
        assertEquals("12", ok(PropertyType.STRING, 12));
        assertEquals("1.5", ok(PropertyType.STRING, 1.5));
        assertEquals("100000000000000000000", ok(PropertyType.STRING, 1e20));
        assertEquals("0.1", ok(PropertyType.STRING, new BigDecimal("0.10")));
        assertEquals("true", ok(PropertyType.STRING, true));
        assertEquals("hello", ok(PropertyType.STRING, "hello"));
    }

    @Test
    void shouldRejectListsAndObjectsForString() {
        mismatch(PropertyType.STRING, List.of("a"));
        mismatch(PropertyType.STRING, Map.of("a", "b"));
    }

    @Test
    void shouldNormalizeIsoDatetimeWithOffsetToUtc() {
        assertEquals("2024-05-01T08:00:00Z", ok(PropertyType.DATETIME, "2024-05-01T10:00:00+02:00"));
        assertEquals("2024-05-01T10:00:00.123Z", ok(PropertyType.DATETIME, "2024-05-01T10:00:00.123456Z"));
    }

    @Test
    void shouldAcceptEpochMillisAsNumberOrDigitString() {
        assertEquals("2024-05-01T10:00:00Z", ok(PropertyType.DATETIME, 1714557600000L));
        assertEquals("2024-05-01T10:00:00Z", ok(PropertyType.DATETIME, "1714557600000"));
    }

    @Test
    void shouldRejectDatetimesWithoutOffsetAndOtherGuesses() {
        mismatch(PropertyType.DATETIME, "2024-05-01T10:00:00");
        mismatch(PropertyType.DATETIME, "2024-05-01");
        mismatch(PropertyType.DATETIME, "yesterday");
        mismatch(PropertyType.DATETIME, 1.5);
        mismatch(PropertyType.DATETIME, -1);
        mismatch(PropertyType.DATETIME, true);
        mismatch(PropertyType.DATETIME, 253_402_300_800_000L);
    }

    @Test
    void shouldAcceptListsOfScalarsOnly() {
        assertEquals(List.of("a", 1, true), ok(PropertyType.LIST, List.of("a", 1, true)));
        mismatch(PropertyType.LIST, List.of(List.of("nested")));
        mismatch(PropertyType.LIST, List.of(Map.of("a", 1)));
    }

    @Test
    void shouldNotWrapScalarsIntoLists() {
        mismatch(PropertyType.LIST, "a,b");
        mismatch(PropertyType.LIST, 3);
    }

    @Test
    void shouldGiveCanonicalTextForEnumComparison() {
        assertEquals("1", TypeCoercion.canonicalText(1.0));
        assertEquals("1.5", TypeCoercion.canonicalText(new BigDecimal("1.50")));
        assertEquals("abc", TypeCoercion.canonicalText("abc"));
    }
}
