package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimesTest {

    /** What parse answered before the fast path: java.time's ISO parsers. */
    private static OptionalLong javaTime(String t) {
        try {
            return OptionalLong.of(OffsetDateTime.parse(t).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            try {
                return OptionalLong.of(Instant.parse(t).toEpochMilli());
            } catch (DateTimeParseException e2) {
                try {
                    return OptionalLong.of(java.time.LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli());
                } catch (DateTimeParseException e3) {
                    return OptionalLong.empty();
                }
            }
        }
    }

    @Test
    void fastPathAgreesWithJavaTimeOnRandomTimestampsOffsetsAndFractions() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = random.nextInt(1_000_000_000);
            int offsetMinutes = random.nextInt(-18 * 60, 18 * 60 + 1);
            OffsetDateTime odt = Instant.ofEpochSecond(epochSecond, nanos)
                    .atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            int digits = random.nextInt(10); // 0 = no fraction
            String pattern = "yyyy-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits))
                    + (offsetMinutes == 0 && random.nextBoolean() ? "'Z'" : "xxx");
            String text = odt.format(DateTimeFormatter.ofPattern(pattern));
            assertEquals(javaTime(text), EventTimes.parse(text), text);
            assertTrue(EventTimes.parseCommonIso(text) != Long.MIN_VALUE, "fast path taken for " + text);
        }
    }

    @Test
    void invalidOrUnusualFormsAnswerExactlyAsJavaTimeDoes() {
        String[] cases = {
            "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z",
            "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z",
            "2026-01-01T10:00:00+18:30", "2026-01-01T10:00:00+18:00", "2026-01-01T10:00:00-18:00",
            "2026-01-01T10:00:00+05:60", "2026-01-01T10:00:00.Z", "2026-01-01T10:00:00.1234567890Z",
            "2026-01-01T10:00:00z", "2026-01-01t10:00:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00.5",
            "2026-01-01T10:00Z", "2026-01-01 10:00:00Z", "2026-1-01T10:00:00Z", "+2026-01-01T10:00:00Z",
            "2026-01-01T10:00:00+0530", "2026-01-01T10:00:00+05", "2026-01-01T10:00:00.123+05:30",
            "2026-01-01T10:00:00.123-08:00", "1969-12-31T23:59:59.500Z", "0001-01-01T00:00:00Z",
            "2026-01-0aT10:00:00Z", "garbage", "2026-01-01T10:00:00ZZ",
        };
        for (String c : cases) {
            assertEquals(javaTime(c), EventTimes.parse(c), c);
        }
    }

    @Test
    void epochMillisecondsAsDigits() {
        assertEquals(OptionalLong.of(1764064800123L), EventTimes.parse("1764064800123"));
        assertEquals(OptionalLong.of(1764064800123L), EventTimes.parse(" 1764064800123 "));
        assertEquals(OptionalLong.empty(), EventTimes.parse(" "));
        assertEquals(OptionalLong.empty(), EventTimes.parse(null));
    }
}
