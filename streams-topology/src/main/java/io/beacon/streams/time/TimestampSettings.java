package io.beacon.streams.time;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link TimestampRule} ({@code beacon.streams.timestamps} in {@code reference.conf}).
 *
 * @param maxFuture          event times later than received time + this are clamped to the received time (default 23 h)
 * @param tooOldAfter        event times earlier than received time − this are flagged {@value TimestampRule#TOO_OLD} (default 30 days)
 * @param maxOrderCorrection the largest shift the order rule may apply to keep a device's order (default 5 min)
 */
public record TimestampSettings(Duration maxFuture, Duration tooOldAfter, Duration maxOrderCorrection) {
    public TimestampSettings {
        Objects.requireNonNull(maxFuture, "maxFuture");
        Objects.requireNonNull(tooOldAfter, "tooOldAfter");
        Objects.requireNonNull(maxOrderCorrection, "maxOrderCorrection");
        if (maxFuture.isNegative() || tooOldAfter.isNegative() || tooOldAfter.isZero() || maxOrderCorrection.isNegative()) {
            throw new IllegalArgumentException("timestamp settings must be positive: " + maxFuture + ", " + tooOldAfter
                    + ", " + maxOrderCorrection);
        }
    }

    /** The defaults of {@code reference.conf}. */
    public static TimestampSettings defaults() {
        return new TimestampSettings(Duration.ofHours(23), Duration.ofDays(30), Duration.ofMinutes(5));
    }
}
