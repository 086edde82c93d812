package io.beacon.cdp.outbox;

import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.delivery.DestinationHealth;
import io.beacon.cdp.delivery.RateLimiter;
import io.beacon.cdp.delivery.ResponseClassifier;
import io.beacon.cdp.delivery.Verdict;
import io.beacon.cdp.send.SendResult;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane per destination: its concurrency slots, rate limit, circuit breaker, throttling after a 429/503 with
 * {@code Retry-After}, health (degraded, disabled, recovered, each announced) and its metrics. The worker asks a
 * lane before each attempt ({@link #accept}) and tells it every result ({@link #completed}); a lane never blocks,
 * it names the time to ask again, so a slow or failing destination holds up only its own messages.
 */
public final class Lanes {
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    /** A head refused for a full concurrency window is asked again this soon (a slot frees on any completion). */
    private static final long SLOT_RECHECK_MS = 10;
    /** A 429/503 without Retry-After holds the destination this long. */
    private static final long DEFAULT_THROTTLE_MS = 1_000;

    private final CdpSettings settings;
    private final DestinationDirectory destinations;
    private final StatusAnnouncer announcer;
    private final LongSupplier nanoClock;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public Lanes(CdpSettings settings, DestinationDirectory destinations, StatusAnnouncer announcer, LongSupplier nanoClock) {
        this.settings = settings;
        this.destinations = destinations;
        this.announcer = announcer;
        this.nanoClock = nanoClock;
    }

    /** The metrics of one destination as seen by this process. */
    public record LaneStats(String projectId, String destinationId, DestinationHealth.Status status, int inFlight,
                            Map<DeliveryAttempt.Outcome, Long> attempts, long p50Ms, long p95Ms, long p99Ms) {
    }

    private final class Lane {
        final String projectId;
        final String destinationId;
        final DestinationHealth health = DestinationHealth.of(settings);
        final AtomicInteger inFlight = new AtomicInteger();
        final Map<DeliveryAttempt.Outcome, AtomicLong> attempts = new ConcurrentHashMap<>();
        final Histogram latency = new Histogram(3_600_000L, 2);
        RateLimiter limiter;
        long throttledUntilMs;
        /** The definition version that was current when this node disabled the destination. */
        long disabledAtVersion = Long.MAX_VALUE;

        Lane(String projectId, String destinationId) {
            this.projectId = projectId;
            this.destinationId = destinationId;
        }
    }

    private Lane lane(OutboxMessage m) {
        return lanes.computeIfAbsent(m.projectId() + ":" + m.destinationId(), k -> new Lane(m.projectId(), m.destinationId()));
    }

    /** Attempts in the air over all destinations. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * 0 when an attempt of {@code m} may start now (a slot is taken: {@link #completed} or {@link #release} gives it
     * back), else the time (epoch ms) to ask again.
     */
    public long accept(OutboxMessage m, long nowMs) {
        Lane lane = lane(m);
        Optional<DestinationDefinition> d = destinations.destination(m.projectId(), m.destinationId());
        if (d.isEmpty() || !d.get().enabled()) {
            takeSlot(lane); // the worker dead-letters it at once
            return 0;
        }
        synchronized (lane) {
            if (lane.health.status() == DestinationHealth.Status.DISABLED) {
                if (d.get().version() > lane.disabledAtVersion) {
                    // re-enabled through the API after the system disabled it: start afresh
                    lanes.remove(m.projectId() + ":" + m.destinationId());
                    return accept(m, nowMs);
                }
                takeSlot(lane); // disabled here, the definition saying so is on its way: the worker dead-letters it
                return 0;
            }
            if (lane.throttledUntilMs > nowMs) {
                return lane.throttledUntilMs;
            }
            if (lane.inFlight.get() >= d.get().concurrency()) {
                return nowMs + SLOT_RECHECK_MS;
            }
            if (lane.limiter == null || lane.limiter.ratePerSecond() != d.get().rateLimitPerSecond()) {
                lane.limiter = new RateLimiter(d.get().rateLimitPerSecond());
            }
            if (!lane.health.breaker().allowRequest(nowMs)) {
                return Math.max(nowMs + 1, lane.health.breaker().nextProbeAtMs());
            }
            long nanos = nanoClock.getAsLong();
            if (!lane.limiter.tryAcquire(nanos)) {
                return nowMs + Math.max(1, lane.limiter.nanosUntilNext(nanos) / 1_000_000);
            }
            takeSlot(lane);
            return 0;
        }
    }

    private void takeSlot(Lane lane) {
        lane.inFlight.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /**
     * Whether messages to {@code d} must not be sent: its definition says disabled, or this node disabled it (410,
     * days of failures) and the definition saying so has not arrived yet.
     */
    public boolean disabled(OutboxMessage m, DestinationDefinition d) {
        if (!d.enabled()) {
            return true;
        }
        Lane lane = lane(m);
        synchronized (lane) {
            return lane.health.status() == DestinationHealth.Status.DISABLED && d.version() <= lane.disabledAtVersion;
        }
    }

    /** Gives back the slot of an attempt that was not made. */
    public void release(OutboxMessage m) {
        Lane lane = lane(m);
        lane.inFlight.decrementAndGet();
        inFlight.decrementAndGet();
    }

    /** Classifies an attempt's result, records it (breaker, health, throttling, metrics) and frees its slot. */
    public Verdict completed(OutboxMessage m, SendResult r, long nowMs) {
        Lane lane = lane(m);
        lane.inFlight.decrementAndGet();
        inFlight.decrementAndGet();
        Verdict v = classify(r, nowMs);
        Optional<DestinationHealth.StatusChange> change;
        synchronized (lane) {
            if (v instanceof Verdict.Throttle t) {
                lane.throttledUntilMs = Math.max(lane.throttledUntilMs,
                        nowMs + t.retryAfter().map(Duration::toMillis).orElse(DEFAULT_THROTTLE_MS));
            }
            change = lane.health.record(v, nowMs);
            if (change.isPresent() && change.get().to() == DestinationHealth.Status.DISABLED) {
                lane.disabledAtVersion = destinations.destination(m.projectId(), m.destinationId())
                        .map(DestinationDefinition::version).orElse(Long.MAX_VALUE);
            }
            lane.latency.recordValue(Math.max(0, Math.min(r.latencyMs(), lane.latency.getHighestTrackableValue())));
        }
        lane.attempts.computeIfAbsent(v.outcome(), k -> new AtomicLong()).incrementAndGet();
        change.ifPresent(c -> announce(lane, c));
        return v;
    }

    static Verdict classify(SendResult r, long nowMs) {
        if (r.failure() == null) {
            return ResponseClassifier.ofStatus(r.status(), r.retryAfter(), nowMs);
        }
        return switch (r.failure()) {
            case TIMEOUT -> ResponseClassifier.ofFailure(ResponseClassifier.TransportFailure.TIMEOUT, r.error());
            case CONNECT_FAILED -> ResponseClassifier.ofFailure(ResponseClassifier.TransportFailure.CONNECT_FAILED, r.error());
            case BLOCKED_ADDRESS -> ResponseClassifier.ofFailure(ResponseClassifier.TransportFailure.BLOCKED_ADDRESS, r.error());
            case RENDER_FAILED -> new Verdict.Permanent(0, ErrorClass.RENDER_FAILED, "cannot render the message: " + r.error());
        };
    }

    private void announce(Lane lane, DestinationHealth.StatusChange c) {
        LOG.warn("destination {} of project {} is now {} (was {}): {}", lane.destinationId, lane.projectId,
                c.to().name().toLowerCase(Locale.ROOT), c.from().name().toLowerCase(Locale.ROOT), c.reason());
        if (c.to() == DestinationHealth.Status.DISABLED) {
            destinations.disable(lane.projectId, lane.destinationId, c.reason());
        }
        try {
            announcer.announce(lane.projectId, lane.destinationId, c);
        } catch (RuntimeException e) {
            LOG.warn("announcing the state change of destination {} failed", lane.destinationId, e);
        }
    }

    /** Every destination this process attempted, with its figures. */
    public List<LaneStats> stats() {
        return lanes.values().stream().map(l -> {
            Map<DeliveryAttempt.Outcome, Long> counts = new EnumMap<>(DeliveryAttempt.Outcome.class);
            l.attempts.forEach((k, v) -> counts.put(k, v.get()));
            synchronized (l) {
                return new LaneStats(l.projectId, l.destinationId, l.health.status(), l.inFlight.get(), counts,
                        l.latency.getValueAtPercentile(50), l.latency.getValueAtPercentile(95), l.latency.getValueAtPercentile(99));
            }
        }).toList();
    }
}
