package io.beacon.cdp.delivery;

import io.beacon.cdp.CdpSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One destination's health, deciding which state changes the workers announce (an event, a log line, a metric and
 * a message to the alert destination), because a destination that degrades or is disabled silently is what users
 * of other CDPs complain about. HEALTHY becomes DEGRADED when its circuit opens; DEGRADED becomes HEALTHY again
 * ("recovered") on the first attempt that is not a failure; either becomes DISABLED on 410 Gone, or when attempts
 * have failed without a break for {@code disableAfter} (counted from the first failure of the current run).
 * DISABLED stays: re-enabling a destination (the API) starts a new tracker.
 *
 * <p>It feeds every verdict to the destination's {@link CircuitBreaker} first, so the worker records an attempt
 * once, here, and asks {@link #breaker()} whether to send. Pure (time is a parameter) and thread-safe.
 */
public final class DestinationHealth {
    /** The announced state of a destination. */
    public enum Status {
        HEALTHY,
        DEGRADED,
        DISABLED
    }

    /**
     * A change to announce.
     *
     * @param reason why, in a sentence (no secrets)
     * @param atMs   when the attempt that caused it was recorded
     */
    public record StatusChange(Status from, Status to, String reason, long atMs) {
        public StatusChange {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final CircuitBreaker breaker;
    private final long disableAfterMs;
    private Status status = Status.HEALTHY;
    private long failingSinceMs = -1;

    public DestinationHealth(CircuitBreaker breaker, Duration disableAfter) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        if (disableAfter.isNegative() || disableAfter.isZero()) {
            throw new IllegalArgumentException("disable-after must be positive");
        }
        this.disableAfterMs = disableAfter.toMillis();
    }

    /** A tracker with its own breaker, both from the settings. */
    public static DestinationHealth of(CdpSettings settings) {
        return new DestinationHealth(CircuitBreaker.of(settings), settings.disableAfter());
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public synchronized Status status() {
        return status;
    }

    /** When the current run of failures began; empty when the last attempt was not a failure. */
    public synchronized OptionalLong failingSinceMs() {
        return failingSinceMs < 0 ? OptionalLong.empty() : OptionalLong.of(failingSinceMs);
    }

    /** Records an attempt's verdict (also in the breaker) and returns the state change it causes, if any. */
    public synchronized Optional<StatusChange> record(Verdict verdict, long nowMs) {
        breaker.record(verdict, nowMs);
        if (status == Status.DISABLED) {
            return Optional.empty();
        }
        if (!verdict.destinationFailed()) {
            failingSinceMs = -1;
            return status == Status.DEGRADED ? change(Status.HEALTHY, "recovered: " + verdict.reason(), nowMs) : Optional.empty();
        }
        if (failingSinceMs < 0) {
            failingSinceMs = nowMs;
        }
        if (verdict instanceof Verdict.Gone) {
            return change(Status.DISABLED, verdict.reason(), nowMs);
        }
        if (nowMs - failingSinceMs >= disableAfterMs) {
            return change(Status.DISABLED, "failing without a success since " + Instant.ofEpochMilli(failingSinceMs)
                    + " (" + Duration.ofMillis(disableAfterMs) + " or more); last: " + verdict.reason(), nowMs);
        }
        if (status == Status.HEALTHY && breaker.state() == CircuitBreaker.State.OPEN) {
            return change(Status.DEGRADED, "circuit opened after " + breaker.consecutiveFailures()
                    + " consecutive failures; last: " + verdict.reason(), nowMs);
        }
        return Optional.empty();
    }

    private Optional<StatusChange> change(Status to, String reason, long nowMs) {
        StatusChange c = new StatusChange(status, to, reason, nowMs);
        status = to;
        return Optional.of(c);
    }
}
