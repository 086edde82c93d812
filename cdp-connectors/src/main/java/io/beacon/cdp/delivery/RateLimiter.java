package io.beacon.cdp.delivery;

/**
 * A destination's rate limit: a token bucket refilled at {@code ratePerSecond} holding at most
 * {@code max(1, ratePerSecond)} tokens, so a receiver is never sent more than it said it accepts, with a burst of
 * about one second's worth after a pause. It starts full.
 *
 * <p>Kept as the bucket's equivalent in whole nanoseconds (the generic cell rate algorithm: the time at which
 * the bucket would be full again), so {@link #nanosUntilNext(long)} is exact: a request made that many
 * nanoseconds later is granted. Pure (time is a parameter, e.g. {@code System.nanoTime()}) and thread-safe.
 */
public final class RateLimiter {
    private final double ratePerSecond;
    private final long intervalNanos;
    private final long burstToleranceNanos;
    private long fullAtNanos;
    private boolean started;

    public RateLimiter(double ratePerSecond) {
        if (!(ratePerSecond > 0) || !Double.isFinite(ratePerSecond)) {
            throw new IllegalArgumentException("a rate limit is a positive number of requests per second, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
        double burst = Math.max(1, ratePerSecond);
        this.burstToleranceNanos = Math.round((burst - 1) * intervalNanos);
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryAcquire(long nowNanos) {
        long base = start(nowNanos);
        if (base - nowNanos > burstToleranceNanos) {
            return false;
        }
        fullAtNanos = base + intervalNanos;
        return true;
    }

    /** How long until {@link #tryAcquire(long)} would succeed: 0 when a token is there now. */
    public synchronized long nanosUntilNext(long nowNanos) {
        return Math.max(0, start(nowNanos) - nowNanos - burstToleranceNanos);
    }

    // the later of "now" and the time the bucket's debt is paid; a clock going back is taken as no time passing
    private long start(long nowNanos) {
        if (!started) {
            started = true;
            fullAtNanos = nowNanos;
        }
        return Math.max(fullAtNanos, nowNanos);
    }
}
