package io.beacon.engine.journeys;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The user's local calendar: days for frequency caps, times of day for delays and quiet hours. */
final class LocalClock {
    private LocalClock() {
    }

    /** The local day of {@code atMs} in {@code zone}, as an epoch day. */
    static long epochDay(long atMs, ZoneId zone) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(atMs), zone).toEpochDay();
    }

    static LocalTime timeOfDay(long atMs, ZoneId zone) {
        return LocalTime.ofInstant(Instant.ofEpochMilli(atMs), zone);
    }

    /**
     * The first instant strictly after {@code afterMs} at which the local time in {@code zone} is {@code time}; a time
     * skipped by a daylight-saving gap is read as the instant the gap ends ({@link ZonedDateTime#of}).
     */
    static long nextTimeOfDay(long afterMs, LocalTime time, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(afterMs), zone);
        for (int i = 0; i < 3; i++) {
            long at = ZonedDateTime.of(day.plusDays(i), time, zone).toInstant().toEpochMilli();
            if (at > afterMs) {
                return at;
            }
        }
        throw new IllegalStateException("no local " + time + " in the two days after " + Instant.ofEpochMilli(afterMs));
    }
}
