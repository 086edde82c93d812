package io.beacon.analytics.query;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A calendar bucket size in a time zone. Buckets start at local midnight (day), local Monday midnight
 * (week, ISO), the first of the local month (month) or the local hour (hour).
 */
public enum Interval {
    HOUR, DAY, WEEK, MONTH;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The ClickHouse expression of the bucket of {@code event_time} in {@code zone}: for hours the UTC epoch
     * second of the bucket start (unambiguous across DST), otherwise the local start date.
     */
    public String bucketSql(String timeColumn, ZoneId zone) {
        String tz = SqlLiterals.string(zone.getId());
        return switch (this) {
            case HOUR -> "toUInt32(toStartOfHour(" + timeColumn + ", " + tz + "))";
            case DAY -> "toDate(" + timeColumn + ", " + tz + ")";
            case WEEK -> "toMonday(toDate(" + timeColumn + ", " + tz + "))";
            case MONTH -> "toStartOfMonth(toDate(" + timeColumn + ", " + tz + "))";
        };
    }

    /** The label of the bucket that contains {@code instant} (the same text {@link #bucketSql} yields). */
    public String labelOf(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        return switch (this) {
            case HOUR -> Long.toString(local.truncatedTo(ChronoUnit.HOURS).toEpochSecond());
            case DAY -> local.toLocalDate().toString();
            case WEEK -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
            case MONTH -> local.toLocalDate().withDayOfMonth(1).toString();
        };
    }

    /** Every bucket label touching {@code [from, to)}, in order. */
    public List<String> labels(Instant from, Instant to, ZoneId zone) {
        List<String> labels = new ArrayList<>();
        if (this == HOUR) {
            for (Instant t = from.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant(); t.isBefore(to); t = t.plus(1, ChronoUnit.HOURS)) {
                labels.add(labelOf(t, zone));
            }
            return labels;
        }
        LocalDate last = to.minusSeconds(1).atZone(zone).toLocalDate();
        LocalDate d = LocalDate.parse(labelOf(from, zone));
        while (!d.isAfter(last)) {
            labels.add(d.toString());
            d = switch (this) {
                case DAY -> d.plusDays(1);
                case WEEK -> d.plusWeeks(1);
                case MONTH -> d.plusMonths(1);
                case HOUR -> throw new IllegalStateException();
            };
        }
        return labels;
    }

    /** A readable label: hour buckets as local ISO date-time with offset. */
    public String display(String label, ZoneId zone) {
        return this == HOUR ? Instant.ofEpochSecond(Long.parseLong(label)).atZone(zone).toOffsetDateTime().toString() : label;
    }
}
