package io.beacon.dq.loss;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss rate of the notes ({@code (gateway accepted − ClickHouse stored) / gateway accepted}), made exact: an
 * accepted copy that the topology refused (dead letter) or removed as a duplicate is accounted for, not lost, so
 * {@code lost = accepted − dead_lettered − duplicates − stored} and {@code rate = lost / accepted}. Pure.
 *
 * <p>An hour is <em>complete</em> once {@code graceMs} have passed since its end and every stage's reader has read
 * past that point ({@code caughtUpToMs}: the collector's and the sink's progress); only complete hours are judged,
 * so an event still on its way is not counted as lost. A negative {@code lost} (more stored than accounted for: a
 * dead letter replayed, a sink that wrote a copy twice under another id) is reported as is and raises no alert.
 */
public final class LossReport {
    private LossReport() {
    }

    /**
     * One window (an hour by default: {@code beacon.dq.window}).
     */
    public record Hour(HourTotals totals, long lost, double rate, boolean complete, boolean alert) {
    }

    /**
     * @param windowMs  the window length ({@link HourTotals#hourMs()} is its start)
     * @param threshold the rate above which a complete window alerts (the default is 0.001: 0.1 %)
     */
    public static List<Hour> of(List<HourTotals> hours, long windowMs, long nowMs, long caughtUpToMs, long graceMs, double threshold) {
        List<Hour> out = new ArrayList<>(hours.size());
        for (HourTotals t : hours) {
            long end = t.hourMs() + windowMs;
            boolean complete = nowMs >= end + graceMs && caughtUpToMs >= end + graceMs;
            long lost = t.accepted() - t.deadLettered() - t.duplicates() - t.stored();
            double rate = t.accepted() == 0 ? 0.0 : (double) lost / t.accepted();
            out.add(new Hour(t, lost, rate, complete, complete && lost > 0 && rate > threshold));
        }
        return out;
    }
}
