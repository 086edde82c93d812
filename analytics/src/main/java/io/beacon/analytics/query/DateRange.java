package io.beacon.analytics.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A half-open time range {@code [from, to)}. Queries give local dates (both inclusive: {@code to} is
 * extended to the next local midnight) or local date-times ({@code to} exclusive) in the query's zone.
 */
public record DateRange(Instant from, Instant to, LocalDateTime localFrom, LocalDateTime localTo, ZoneId zone) {

    public static DateRange of(LocalDateTime localFrom, LocalDateTime localTo, ZoneId zone) {
        return new DateRange(localFrom.atZone(zone).toInstant(), localTo.atZone(zone).toInstant(), localFrom, localTo, zone);
    }

    /** Whole local days {@code first}..{@code last} inclusive. */
    public static DateRange days(LocalDate first, LocalDate last, ZoneId zone) {
        return of(first.atStartOfDay(), last.plusDays(1).atStartOfDay(), zone);
    }

    /**
     * The period before this one for "compare with the previous period": the same local length ending where
     * this one starts (a range of N local days → the N local days before; otherwise the same duration).
     */
    public DateRange previous() {
        if (localFrom.toLocalTime().equals(LocalTime.MIDNIGHT) && localTo.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            long days = ChronoUnit.DAYS.between(localFrom, localTo);
            return of(localFrom.minusDays(days), localFrom, zone);
        }
        Duration d = Duration.between(localFrom, localTo);
        return of(localFrom.minus(d), localFrom, zone);
    }

    /** {@code event_time} (and the partition key {@code event_date}) within the range. */
    public String sql(String timeColumn) {
        return "event_date >= " + SqlLiterals.utcDate(from) + " AND event_date <= " + SqlLiterals.utcDate(to)
                + " AND " + timeColumn + " >= " + SqlLiterals.dateTime(from) + " AND " + timeColumn + " < " + SqlLiterals.dateTime(to);
    }
}
