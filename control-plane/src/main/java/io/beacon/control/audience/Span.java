package io.beacon.control.audience;

import java.util.Objects;

/**
 * The stretch of time an event count or a sequence looks at.
 *
 * <ul>
 *   <li>{@link Rolling}: a rolling {@link Window} (1h, 24h, 7d, 30d, all) bucketed on the epoch, exact at bucket
 *       granularity; both evaluators count it the same way ({@link Window#startMs}).</li>
 *   <li>{@link Days}: "the last N days" in the project's time zone, today included — from local midnight N − 1
 *       days ago; query-time only (the engine keeps UTC buckets), so realtime segments refuse it.</li>
 * </ul>
 */
public sealed interface Span {

    /** A rolling window. */
    record Rolling(Window window) implements Span {
        public Rolling {
            Objects.requireNonNull(window, "window");
        }
    }

    /** The last {@code days} calendar days in the project's zone, today included. */
    record Days(int days) implements Span {
        public Days {
            if (days < 1) {
                throw new IllegalArgumentException("days must be ≥ 1, was " + days);
            }
        }
    }

    /** This span's rolling window; a {@link Days} span has none, and its parser never hands one to the engine. */
    default Window rolling() {
        if (this instanceof Rolling r) {
            return r.window();
        }
        throw new IllegalStateException("not a rolling window: " + this);
    }
}
