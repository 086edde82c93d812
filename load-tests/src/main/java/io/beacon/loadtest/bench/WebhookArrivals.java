package io.beacon.loadtest.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The bookkeeping of the cdp phase, kept pure so it can be tested without a stack: which webhook ids were sent
 * when, which arrived when (the first arrival of an id counts; repeats are duplicates, ids never sent are
 * unknown), the latency histogram of the measured ones and the arrival rate. Thread-safe: the producer and the
 * receiver's threads call it concurrently.
 */
final class WebhookArrivals {
    /** Latencies above this (ms) are recorded as this value. */
    static final long MAX_LATENCY_MS = 600_000;

    private record Sent(long atMs, boolean measured) {
    }

    private final Map<String, Sent> sent = new HashMap<>();
    private final Map<String, Long> arrived = new HashMap<>();
    private final Histogram latency = new Histogram(MAX_LATENCY_MS, 3);
    private long measuredSent;
    private long measuredArrived;
    private long duplicates;
    private long unknown;
    private long firstArrivalMs = Long.MAX_VALUE;
    private long lastArrivalMs = Long.MIN_VALUE;

    /** Records that {@code id} was sent at {@code atMs}; only {@code measured} ones enter the latency figure. */
    synchronized void sent(String id, long atMs, boolean measured) {
        if (sent.putIfAbsent(id, new Sent(atMs, measured)) == null && measured) {
            measuredSent++;
        }
    }

    /** Records an arrival of {@code id} at {@code atMs}; true if it was the first arrival of a sent id. */
    synchronized boolean arrived(String id, long atMs) {
        Sent s = id == null ? null : sent.get(id);
        if (s == null) {
            unknown++;
            return false;
        }
        if (arrived.putIfAbsent(id, atMs) != null) {
            duplicates++;
            return false;
        }
        firstArrivalMs = Math.min(firstArrivalMs, atMs);
        lastArrivalMs = Math.max(lastArrivalMs, atMs);
        if (s.measured()) {
            measuredArrived++;
            latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_MS, atMs - s.atMs())));
        }
        return true;
    }

    synchronized long sentCount() {
        return sent.size();
    }

    /** Distinct sent ids that arrived (measured or not). */
    synchronized long arrivedCount() {
        return arrived.size();
    }

    synchronized long measuredSent() {
        return measuredSent;
    }

    synchronized long measuredArrived() {
        return measuredArrived;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long unknown() {
        return unknown;
    }

    /** A copy of the latency histogram (ms) of the measured ids' first arrivals. */
    synchronized Histogram latencyMillis() {
        return latency.copy();
    }

    /** Arrival time of the first arrival, or -1 if none. */
    synchronized long firstArrivalMs() {
        return arrived.isEmpty() ? -1 : firstArrivalMs;
    }

    /** Arrival time of the last arrival, or -1 if none. */
    synchronized long lastArrivalMs() {
        return arrived.isEmpty() ? -1 : lastArrivalMs;
    }

    /**
     * Arrivals per second between {@code fromMs} and the last arrival: all distinct arrivals over that span; NaN
     * when nothing arrived or the span is empty.
     */
    synchronized double perSecondSince(long fromMs) {
        if (arrived.isEmpty() || lastArrivalMs <= fromMs) {
            return Double.NaN;
        }
        return arrived.size() * 1000.0 / (lastArrivalMs - fromMs);
    }

    /**
     * Steady arrivals per second from the first to the last arrival: the intervals between arrivals, (n − 1) over
     * the span, so neither start-up nor the wait for the first one counts; NaN below two arrivals.
     */
    synchronized double perSecondBetweenFirstAndLast() {
        if (arrived.size() < 2 || lastArrivalMs <= firstArrivalMs) {
            return Double.NaN;
        }
        return (arrived.size() - 1) * 1000.0 / (lastArrivalMs - firstArrivalMs);
    }

    /**
     * The measured ids' worst latency per {@code sliceMs} of send time, oldest slice first ("+5 s: 120 ms, ..."):
     * shows whether a tail is a growing backlog or a stall.
     */
    synchronized String timeline(long sliceMs) {
        TreeMap<Long, Long> worst = new TreeMap<>();
        long first = Long.MAX_VALUE;
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            if (e.getValue().measured()) {
                first = Math.min(first, e.getValue().atMs());
            }
        }
        for (Map.Entry<String, Sent> e : sent.entrySet()) {
            Long at = arrived.get(e.getKey());
            if (!e.getValue().measured() || at == null) {
                continue;
            }
            worst.merge((e.getValue().atMs() - first) / sliceMs, at - e.getValue().atMs(), Math::max);
        }
        StringBuilder b = new StringBuilder();
        worst.forEach((slice, ms) -> b.append(b.length() == 0 ? "" : ", ").append('+').append(slice * sliceMs / 1000)
                .append(" s: ").append(ms).append(" ms"));
        return b.toString();
    }
}
