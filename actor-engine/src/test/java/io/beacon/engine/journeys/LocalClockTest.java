package io.beacon.engine.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LocalClockTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldFindTheNextTimeOfDayLaterTheSameDayOrTheNextDay() {
        assertEquals(at("2026-11-23T14:00:00Z"), LocalClock.nextTimeOfDay(at("2026-11-23T12:00:00Z"), LocalTime.of(9, 0), NEW_YORK));
        assertEquals(at("2026-11-24T14:00:00Z"), LocalClock.nextTimeOfDay(at("2026-11-23T14:00:00Z"), LocalTime.of(9, 0), NEW_YORK));
    }

    @Test
    void shouldReadATimeInTheSpringForwardGapAsTheEndOfTheGap() {
        // 2026-03-08 02:30 does not exist in New York; clocks jump from 02:00 EST to 03:00 EDT (07:00 UTC)
        assertEquals(at("2026-03-08T07:30:00Z"), LocalClock.nextTimeOfDay(at("2026-03-08T06:00:00Z"), LocalTime.of(2, 30), NEW_YORK));
    }

    @Test
    void shouldCountLocalDaysInTheUsersZone() {
        long lateEveningInNewYork = at("2026-11-24T04:30:00Z");

        assertEquals(LocalDate.of(2026, 11, 23).toEpochDay(), LocalClock.epochDay(lateEveningInNewYork, NEW_YORK));
        assertEquals(LocalDate.of(2026, 11, 24).toEpochDay(), LocalClock.epochDay(lateEveningInNewYork, ZoneId.of("UTC")));
    }

    @Test
    void shouldHashLikeFnv1a32() {
        // FNV-1a 32 test vectors (draft-eastlake-fnv): "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
        assertEquals(0x811c9dc5L, SplitBucket.fnv1a32(""));
        assertEquals(0xe40c292cL, SplitBucket.fnv1a32("a"));
        assertEquals(0xbf9cf968L, SplitBucket.fnv1a32("foobar"));
        assertEquals((int) (SplitBucket.fnv1a32("journey/ab/u1") % 100), SplitBucket.of("ab", "u1"));
    }
}
