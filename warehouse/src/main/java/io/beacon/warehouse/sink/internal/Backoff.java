package io.beacon.warehouse.sink.internal;

import java.time.Duration;

/** Exponential retry delays: {@code initial}, doubled per failed attempt, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
        }
    }

    /** The delay after failed attempt number {@code attempt} (1 for the first failure). */
    public Duration delayAfter(int attempt) {
        long delay = initial.toMillis();
        for (int i = 1; i < attempt && delay < max.toMillis(); i++) {
            delay *= 2;
        }
        return Duration.ofMillis(Math.min(delay, max.toMillis()));
    }
}
