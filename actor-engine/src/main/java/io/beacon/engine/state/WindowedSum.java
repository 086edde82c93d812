package io.beacon.engine.state;

import io.beacon.control.audience.Window;
import java.util.function.DoublePredicate;

/** A sum of amounts (revenue) per {@link Window}, bucketed like {@link WindowedCounter}. Not thread-safe. */
public final class WindowedSum {
    final WindowedSeries series = new WindowedSeries();

    public void add(long eventMs, double amount, long clockMs) {
        series.add(eventMs, amount, clockMs);
    }

    public double sum(Window w, long nowMs) {
        return series.sum(w, nowMs);
    }

    /** Like {@link WindowedCounter#nextChangeAtMs}, for the sum. */
    public long nextChangeAtMs(Window w, long nowMs, DoublePredicate holds) {
        return series.firstChange(w, nowMs, holds);
    }

    public double total() {
        return series.total;
    }
}
