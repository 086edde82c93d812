package io.beacon.engine.state;

import io.beacon.control.audience.Window;
import java.util.function.LongPredicate;

/**
 * How many times something happened, per {@link Window}, exact at the bucket granularity of
 * {@link WindowSpec}. Sparse: a name seen once costs three buckets. Not thread-safe.
 */
public final class WindowedCounter {
    final WindowedSeries series = new WindowedSeries();

    /** Counts one occurrence at {@code eventMs}; {@code clockMs} (the server clock) drops expired buckets. */
    public void increment(long eventMs, long clockMs) {
        series.add(eventMs, 1, clockMs);
    }

    /** The occurrences in {@code w} at {@code nowMs} ({@link WindowSpec#includes}). */
    public long count(Window w, long nowMs) {
        return (long) series.sum(w, nowMs);
    }

    /**
     * The first instant after {@code nowMs} at which {@code holds(count(w, t))} differs from its value
     * now, with no new occurrences; {@link Long#MAX_VALUE} when never.
     */
    public long nextChangeAtMs(Window w, long nowMs, LongPredicate holds) {
        return series.firstChange(w, nowMs, sum -> holds.test((long) sum));
    }

    public long total() {
        return (long) series.total;
    }
}
