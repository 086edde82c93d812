package io.beacon.cdp.delivery;

import io.beacon.cdp.CdpSettings;
import java.time.Duration;

/**
 * One destination's circuit breaker: after {@code failureThreshold} consecutive failed attempts it opens and no
 * request is sent for {@code openFor}; then one probe is let through (half open). A successful probe closes it; a
 * failed one opens it again for twice as long, up to {@code maxOpenFor}. It stops a dead or overloaded receiver
 * from being hammered by every waiting message and spares the workers' time for healthy destinations.
 *
 * <p>What counts as a failure is {@link Verdict#destinationFailed()}. Throttling (429, 502, 503, 504) does: the
 * receiver says it is overloaded, and pausing the whole destination is what slows it down, which a per-message
 * delay alone does not; a {@code Retry-After} longer than the open time keeps the circuit open that long. A
 * rejected message (other 4xx) is a success here: the receiver is up and answering.
 *
 * <p>Pure (time is a parameter) and thread-safe (synchronized), so the workers of several partitions may share
 * one breaker per destination.
 */
public final class CircuitBreaker {
    /** Where a destination's circuit is. */
    public enum State {
        /** Requests flow. */
        CLOSED,
        /** No request until {@link #nextProbeAtMs()}. */
        OPEN,
        /** One probe is out; its result closes or re-opens the circuit. */
        HALF_OPEN
    }

    private final int failureThreshold;
    private final long baseOpenForMs;
    private final long maxOpenForMs;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openForMs;
    private long nextProbeAtMs;

    public CircuitBreaker(int failureThreshold, Duration openFor, Duration maxOpenFor) {
        if (failureThreshold < 1 || openFor.isNegative() || openFor.isZero() || maxOpenFor.compareTo(openFor) < 0) {
            throw new IllegalArgumentException("threshold >= 1 and 0 < open-for <= max-open-for");
        }
        this.failureThreshold = failureThreshold;
        this.baseOpenForMs = openFor.toMillis();
        this.maxOpenForMs = maxOpenFor.toMillis();
        this.openForMs = baseOpenForMs;
    }

    public static CircuitBreaker of(CdpSettings settings) {
        return new CircuitBreaker(settings.circuitFailureThreshold(), settings.circuitOpenFor(), settings.circuitMaxOpenFor());
    }

    /**
     * Whether a request may be sent now. When open and the open time has passed, this grants the one probe (and
     * turns half open); while the probe is out, it refuses. A probe whose result never came is granted again after
     * another open time, so a lost result cannot leave the circuit stuck.
     */
    public synchronized boolean allowRequest(long nowMs) {
        if (state == State.CLOSED) {
            return true;
        }
        if (nowMs < nextProbeAtMs) {
            return false;
        }
        state = State.HALF_OPEN;
        nextProbeAtMs = nowMs + openForMs;
        return true;
    }

    /** Records an attempt's verdict (every request {@link #allowRequest} let through must be recorded). */
    public synchronized void record(Verdict verdict, long nowMs) {
        if (!verdict.destinationFailed()) {
            state = State.CLOSED;
            consecutiveFailures = 0;
            openForMs = baseOpenForMs;
            nextProbeAtMs = 0;
            return;
        }
        consecutiveFailures++;
        long hintMs = verdict instanceof Verdict.Throttle t ? t.retryAfter().map(Duration::toMillis).orElse(0L) : 0L;
        if (state == State.HALF_OPEN) {
            openForMs = Math.min(openForMs * 2, maxOpenForMs);
            open(nowMs, hintMs);
        } else if (state == State.CLOSED && consecutiveFailures >= failureThreshold) {
            open(nowMs, hintMs);
        }
        // OPEN: the result of a request sent before the circuit opened; it stays open as it is
    }

    public synchronized State state() {
        return state;
    }

    /** When the next request may go out: the end of the open time, or of the outstanding probe; 0 when closed. */
    public synchronized long nextProbeAtMs() {
        return state == State.CLOSED ? 0 : nextProbeAtMs;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The current open time: {@code openFor}, doubled per failed probe up to {@code maxOpenFor}. */
    public synchronized Duration openFor() {
        return Duration.ofMillis(openForMs);
    }

    private void open(long nowMs, long hintMs) {
        state = State.OPEN;
        nextProbeAtMs = nowMs + Math.max(openForMs, hintMs);
    }
}
