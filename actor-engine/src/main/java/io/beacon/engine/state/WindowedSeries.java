package io.beacon.engine.state;

import io.beacon.control.audience.Window;
import java.util.function.DoublePredicate;

/**
 * Amounts over time in the bucket rings of {@link WindowSpec}: one minute ring (60 kept), one hour
 * ring (168 kept, serving both 24 h and 7 d), one day ring (30 kept) and an all-time total. Shared
 * implementation of {@link WindowedCounter} and {@link WindowedSum}.
 */
final class WindowedSeries {
    final Buckets minutes = new Buckets(WindowSpec.MINUTE_MS, 60);
    final Buckets hours = new Buckets(WindowSpec.HOUR_MS, 168);
    final Buckets days = new Buckets(WindowSpec.DAY_MS, 30);
    double total;

    void add(long eventMs, double amount, long clockMs) {
        total += amount;
        minutes.add(eventMs, amount, clockMs);
        hours.add(eventMs, amount, clockMs);
        days.add(eventMs, amount, clockMs);
    }

    double sum(Window w, long nowMs) {
        if (w == Window.ALL) {
            return total;
        }
        return ring(w).sumFrom(WindowSpec.oldestBucket(w, nowMs));
    }

    long firstChange(Window w, long nowMs, DoublePredicate holds) {
        if (w == Window.ALL) {
            return Long.MAX_VALUE;
        }
        return ring(w).firstChange(WindowSpec.bucketCount(w), nowMs, holds);
    }

    /** The sum of the day buckets (UTC days since the epoch) in {@code [fromDay, toDay]}. */
    double sumDays(long fromDay, long toDay) {
        return days.sumRange(fromDay, toDay);
    }

    /** The sum of the hour buckets (hours since the epoch) in {@code [fromHour, toHour]}. */
    double sumHours(long fromHour, long toHour) {
        return hours.sumRange(fromHour, toHour);
    }

    /** UTC days in {@code [fromDay, toDay]} with a non-zero amount. */
    int nonEmptyDays(long fromDay, long toDay) {
        return days.nonEmptyIn(fromDay, toDay);
    }

    /** Adds everything of {@code other} (rebuilding a series from others when decoding an old format). */
    void addAll(WindowedSeries other) {
        total += other.total;
        minutes.addAll(other.minutes);
        hours.addAll(other.hours);
        days.addAll(other.days);
    }

    boolean isEmpty() {
        return total == 0 && minutes.length == 0 && hours.length == 0 && days.length == 0;
    }

    Buckets ring(Window w) {
        return switch (w) {
            case H1 -> minutes;
            case H24, D7 -> hours;
            case D30 -> days;
            case ALL -> throw new IllegalArgumentException("all-time has no ring");
        };
    }
}
